package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A graceful stop saves what only the instance's memory holds: the journal records of a region that
 * missed writes reach Redis, so that the instance that reconciles the region later finds them.
 */
class GracefulStopTests {

	private static final int KEYS = 10;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void inMemoryJournalRecordsAreSavedAtAGracefulStop() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions all = context.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			context.getBean(RegionRecovery.class).takeOffline(all.get("west"), "maintenance");
			for (int i = 0; i < KEYS; i++) {
				service.setBalance("stop-" + i, BigDecimal.valueOf(i));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(KEYS).equals(regions.get("east").command("HLEN", "rc:journal:{west}")));
			// The records this instance wrote to Redis are lost (a failed write, a flushed holder): only its
			// memory holds them now.
			regions.get("east").command("DEL", "rc:journal:{west}");
		});
		assertThat(regions.get("east").command("HLEN", "rc:journal:{west}")).as("records saved at the stop").isEqualTo((long) KEYS);
	}

}
