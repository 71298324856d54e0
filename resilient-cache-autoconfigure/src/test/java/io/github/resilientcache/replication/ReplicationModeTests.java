package io.github.resilientcache.replication;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many acknowledgements each level waits for, by the number of configured regions.
 */
class ReplicationModeTests {

	@Test
	void asyncWaitsForTheFirstRegionOnly() {
		for (int regions = 1; regions <= 5; regions++) {
			assertThat(ReplicationMode.ASYNC.required(regions)).isEqualTo(1);
		}
	}

	@Test
	void quorumIsAMajorityOfTheConfiguredRegions() {
		assertThat(ReplicationMode.QUORUM.required(1)).isEqualTo(1);
		assertThat(ReplicationMode.QUORUM.required(2)).as("both of two").isEqualTo(2);
		assertThat(ReplicationMode.QUORUM.required(3)).isEqualTo(2);
		assertThat(ReplicationMode.QUORUM.required(4)).isEqualTo(3);
		assertThat(ReplicationMode.QUORUM.required(5)).isEqualTo(3);
	}

	@Test
	void allAndItsOlderNameSyncWaitForEveryRegion() {
		for (int regions = 1; regions <= 5; regions++) {
			assertThat(ReplicationMode.ALL.required(regions)).isEqualTo(regions);
			assertThat(ReplicationMode.SYNC.required(regions)).isEqualTo(regions);
		}
		assertThat(ReplicationMode.SYNC.level()).isEqualTo(ReplicationMode.ALL);
		assertThat(ReplicationMode.QUORUM.level()).isEqualTo(ReplicationMode.QUORUM);
	}

}
