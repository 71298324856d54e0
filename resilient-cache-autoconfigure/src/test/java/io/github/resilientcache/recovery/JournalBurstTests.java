package io.github.resilientcache.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of journal records, with the starter's default client settings against real servers: a
 * busy region that fails makes every write it misses a record in the region that holds its journal,
 * and that bookkeeping must never fail the holder (which would leave no region serving). Before the
 * records were batched and kept off the holder's breaker, a burst of 100,000 opened west's breaker
 * on the timeouts of its own queue.
 */
class JournalBurstTests {

	private static final int RECORDS = 100_000;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void aBurstOfRecordsForAFailedRegionReachesItsHolderWithoutFailingIt() {
		// A generous command timeout: what is measured is the holder's breaker and the records, not
		// whether one batch of the burst outlasts 200 ms on a loaded machine (the old code still fails:
		// its calls, queued by the thousand, were slow calls to the breaker long before they timed out).
		TestApplications.runner(regions, "east").withPropertyValues("resilient-cache.regions.east.timeout=2s",
				"resilient-cache.regions.west.timeout=2s").run((context) -> {
			Regions all = TestApplications.serving(context);
			Region east = all.get("east");
			Region west = all.get("west");
			ReplayJournal journal = context.getBean(ReplayJournal.class);
			regions.get("east").stop();
			east.fail("stopped by the test");
			List<String> keys = new ArrayList<>(RECORDS);
			for (int i = 0; i < RECORDS; i++) {
				keys.add(all.keys().prefix() + ":accounts::burst-" + i);
			}
			try {
				keys.forEach((key) -> journal.record(east, key, "burst"));
				// Every record reaches west (none is left to this instance's memory, which holds 10,000),
				// while west keeps serving: checked at every poll, not only at the end.
				await().atMost(Duration.ofSeconds(60)).until(() -> {
					assertThat(west.state()).isEqualTo(RegionState.UP);
					assertThat(west.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
					return journal.store().depth(west.direct().client(), "east") == RECORDS;
				});
				assertThat(journal.needsResync(east)).isFalse();
			}
			finally {
				regions.get("east").start();
			}
		});
	}

}
