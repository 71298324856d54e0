package io.github.resilientcache.recovery;

import java.time.Duration;
import java.util.Map;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.StateLog;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data read back from Redis is data: a forged journal record or status message is ignored,
 * counted and never executed, and no region changes state because of it.
 */
class ForgedDataTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private static ApplicationContextRunner instance() {
		return TestApplications.runner(regions, "east").withBean(StateLog.class)
			.withPropertyValues("resilient-cache.coordination.secret=test-coordination-secret");
	}

	@Test
	void forgedJournalRecordsAreRemovedNotExecuted() {
		instance().run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions all = context.getBean(Regions.class);
			ReplayJournal journal = context.getBean(ReplayJournal.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			for (int i = 0; i < 10; i++) {
				service.find("forge-" + i);
			}
			regions.get("east").command("SET", "other-app:data", "theirs");
			regions.get("east").command("SET", "rc:pay:accounts::x", "a neighbour's key under a longer prefix");
			for (Map.Entry<String, String> forged : Map.of("clear:*", "x:1:COPY", "other-app:data", "x:2:DELETE@0000000000000001:west",
					"rc:accounts::forge-1", "not a token", "clear:rc:*::*", "x:3:COPY").entrySet()) {
				regions.get("west").command("HSET", "rc:journal:{east}", forged.getKey(), forged.getValue());
			}
			RegionRecovery recovery = context.getBean(RegionRecovery.class);
			recovery.takeOffline(all.get("east"), "test");
			assertThat(recovery.bringOnline(all.get("east"), "test")).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
			assertThat(regions.get("east").command("GET", "other-app:data")).isEqualTo("theirs");
			assertThat(regions.get("east").command("EXISTS", "rc:pay:accounts::x")).isEqualTo(1L);
			assertThat(((java.util.List<?>) regions.get("east").command("KEYS", "rc:accounts::*"))).hasSize(10);
			assertThat(journal.rejectedCount()).isEqualTo(4);
			assertThat(regions.get("west").command("HLEN", "rc:journal:{east}")).isEqualTo(0L);
		});
	}

	@Test
	void forgedStatusMessagesAreIgnoredAndSignedOnesApplied() {
		instance().run((a) -> instance().run((b) -> {
			Regions regionsB = b.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(regionsB));
			RegionStatusBroadcaster broadcaster = b.getBean(RegionStatusBroadcaster.class);
			regions.get("east").command("PUBLISH", "rc:region-status", "v1\twest\tUP\tOFFLINE\tmallory\tunsigned");
			regions.get("east").command("PUBLISH", "rc:region-status", "v1\twest\tUP\tOFFLINE\tmallory\tbadly signed\t00ff");
			regions.get("east").command("PUBLISH", "rc:region-status", "garbage");
			regions.get("east").command("SET", "rc:status:{west}", "v1\twest\tUP\tOFFLINE\tmallory\tstored, unsigned");
			await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.rejectedCount() >= 3);
			assertThat(regionsB.get("west").state()).isEqualTo(RegionState.UP);
			// An instance starting now ignores the forged stored status too.
			// (Waited for: on a loaded machine its first probe may leave west starting, OPEN, for a while.)
			instance().run((c) -> assertThat(TestApplications.serving(c).get("west").state()).isEqualTo(RegionState.UP));
			// A change signed by an instance with the secret is applied.
			a.getBean(RegionRecovery.class).takeOffline(a.getBean(Regions.class).get("west"), "maintenance");
			await().atMost(Duration.ofSeconds(5)).until(() -> regionsB.get("west").state() == RegionState.OFFLINE);
		}));
	}

}
