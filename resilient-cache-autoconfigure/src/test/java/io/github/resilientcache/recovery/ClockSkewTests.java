package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Versions are causal: an eviction always beats the entry it replaces, whatever the writers' clocks
 * say; a stamp too far ahead is refused and never outlives the next write.
 */
class ClockSkewTests {

	private static final int KEYS = 30;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private static ApplicationContextRunner instance(long skewMillis) {
		return TestApplications.runner(regions, "east").withBean("resilientCacheClock", HybridLogicalClock.class,
				() -> new HybridLogicalClock(() -> System.currentTimeMillis() + skewMillis, Duration.ofSeconds(5)));
	}

	@Test
	void evictionRightAfterAPutFromAClockTwoSecondsAheadIsNotLost() {
		instance(2_000).run((x) -> instance(0).run((y) -> {
			AccountService writer = x.getBean(AccountService.class);
			AccountService evicter = y.getBean(AccountService.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(y.getBean(Regions.class)));
			int stale = 0;
			for (int i = 0; i < KEYS; i++) {
				String id = "skew-" + i;
				writer.setBalance(id, BigDecimal.valueOf(i));
				evicter.blockCard(id);
				// The eviction is the last write: nothing may serve the value the put stored.
				Object east = regions.get("east").command("GET", "rc:accounts::" + id);
				if (east != null && !String.valueOf(east).startsWith("T")) {
					stale++;
				}
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				for (int i = 0; i < KEYS; i++) {
					assertThat(regions.get("west").command("GET", "rc:accounts::skew-" + i)).asString().startsWith("T");
				}
			});
			System.out.printf("[figure] clock skew 2 s: %d stale entries after %d put+evict pairs%n", stale, KEYS);
			assertThat(stale).isZero();
		}));
	}

	@Test
	void farFutureStampIsRefusedAndReplacedByTheNextWrite() {
		instance(0).run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			HybridLogicalClock clock = context.getBean(HybridLogicalClock.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Regions.class).get("east").state() == RegionState.UP);
			String forged = "V7fffffffffffffff:east\n{\"@class\":\"io.github.resilientcache.testapp.Account\",\"id\":\"f\","
					+ "\"balance\":1,\"cardBlocked\":false,\"version\":0}";
			regions.get("east").command("SET", "rc:accounts::f", forged);
			long before = clock.next();
			service.find("f");
			assertThat(clock.next() - before).as("the clock did not jump to the forged stamp").isLessThan(1L << 32);
			assertThat(clock.refusedCount()).isPositive();
			service.blockCard("f");
			String stored = (String) regions.get("east").command("GET", "rc:accounts::f");
			assertThat(stored).startsWith("T").doesNotStartWith("T7fff");
			assertThat(service.find("f")).isEqualTo(service.current("f"));
		});
	}

}
