package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A region that restarts from an older snapshot comes back holding values older than writes it had
 * taken, with nothing in any journal: it must be resynced, never read as is.
 */
class RestartTests {

	private static final int KEYS = 20;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void regionRestartedFromAnOlderSnapshotIsNeverReadStale() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			// East serving, not still starting: the region this test restarts.
			Regions all = TestApplications.serving(context);
			for (int i = 0; i < KEYS; i++) {
				service.find("snap-" + i);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("west").dbSize() >= KEYS);
			FailbackProber prober = context.getBean(FailbackProber.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> prober.knowsRunIds("east"));
			regions.get("east").saveSnapshot();
			for (int i = 0; i < KEYS; i++) {
				service.setBalance("snap-" + i, BigDecimal.valueOf(900 + i));
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
					regions.get("west").command("GET", "rc:accounts::snap-" + (KEYS - 1))).asString().contains("919"));
			regions.get("east").restartFromSnapshot();
			AtomicInteger stale = new AtomicInteger();
			// Reads all through the window that matters: from the restart until east serves again.
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				for (int i = 0; i < KEYS; i++) {
					if (!service.find("snap-" + i).equals(service.current("snap-" + i))) {
						stale.incrementAndGet();
					}
				}
				return all.get("east").isServing() && all.get("east").circuitBreaker().getMetrics().getNumberOfBufferedCalls() > 0;
			});
			for (int i = 0; i < KEYS; i++) {
				if (!service.find("snap-" + i).equals(service.current("snap-" + i))) {
					stale.incrementAndGet();
				}
				Object east = regions.get("east").command("GET", "rc:accounts::snap-" + i);
				assertThat(east == null || east.equals(regions.get("west").command("GET", "rc:accounts::snap-" + i)))
					.as("east holds no stale entry for snap-" + i).isTrue();
			}
			System.out.printf("[figure] restart from an older snapshot: %d stale reads%n", stale.get());
			assertThat(stale).hasValue(0);
		});
	}

}
