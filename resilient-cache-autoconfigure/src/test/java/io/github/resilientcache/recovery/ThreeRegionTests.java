package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.StateLog;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three regions, the first two in failover order stopped: the third serves alone, and the first
 * two come back reconciled, with no stale read.
 */
class ThreeRegionTests {

	private static final int KEYS = 20;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west", "north");

	@Test
	void lastRegionServesWhileTheFirstTwoAreDownAndTheyComeBackReconciled() {
		TestApplications.runner(regions, "east").withBean(StateLog.class).run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions all = context.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			for (int i = 0; i < KEYS; i++) {
				service.find("three-" + i);
			}
			regions.get("east").stop();
			regions.get("west").stop();
			AtomicInteger wrong = new AtomicInteger();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				service.find("three-0");
				return all.get("east").state() == RegionState.OPEN && all.get("west").state() == RegionState.OPEN;
			});
			int loadsBefore = service.loads();
			for (int i = 0; i < KEYS; i++) {
				String id = "three-" + i;
				if (i % 2 == 0) {
					service.setBalance(id, BigDecimal.valueOf(7000 + i));
				}
				else {
					service.blockCard(id);
				}
				if (!service.find(id).equals(service.current(id))) {
					wrong.incrementAndGet();
				}
			}
			assertThat(service.loads() - loadsBefore).as("north served what it holds").isLessThanOrEqualTo(KEYS / 2);
			regions.get("east").start();
			regions.get("west").start();
			await().atMost(Duration.ofSeconds(30)).until(() -> TestApplications.allUp(all));
			for (int i = 0; i < KEYS; i++) {
				String id = "three-" + i;
				if (!service.find(id).equals(service.current(id))) {
					wrong.incrementAndGet();
				}
			}
			assertThat(wrong).as("stale or wrong reads").hasValue(0);
			assertThat(context.getBean(StateLog.class).afterFirstUp("north")).as("north never left UP").isEmpty();
		});
	}

}
