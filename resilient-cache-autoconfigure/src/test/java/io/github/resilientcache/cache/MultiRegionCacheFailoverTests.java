package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.Account;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two regions, real Redis servers, a real {@code @Cacheable} service: what a payment service sees
 * when a region fails. Figures are printed with a {@code [figure]} prefix.
 */
class MultiRegionCacheFailoverTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void valueWrittenInOneRegionIsReadFromTheOther() {
		TestApplications.runner(regions, "east").run((east) -> TestApplications.runner(regions, "west").run((west) -> {
			// West's instance reads its own region, not still starting (the read would go to east).
			TestApplications.serving(east);
			TestApplications.serving(west);
			AccountService eastService = east.getBean(AccountService.class);
			AccountService westService = west.getBean(AccountService.class);
			eastService.setBalance("a1", new BigDecimal("42.00"));
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("west").command("EXISTS", "rc:accounts::a1").equals(1L));
			Account read = westService.find("a1");
			assertThat(read.balance()).isEqualByComparingTo("42.00");
			assertThat(westService.loads()).isZero();
		}));
	}

	@Test
	void localRegionStoppedKeepsReadsAndWritesWorkingAndOpensItsBreaker() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			// East serving, not still starting (OPEN, its breaker closed): the region this test stops.
			Region east = TestApplications.serving(context).get("east");
			for (int i = 0; i < 20; i++) {
				service.find("k" + i);
			}
			int loadsBefore = service.loads();
			await().atMost(Duration.ofSeconds(5)).until(() -> TestApplications.holdsAccounts(regions.get("west"), TestApplications.ids("k", 20)));
			regions.get("east").stop();
			long stopped = System.nanoTime();
			AtomicInteger round = new AtomicInteger();
			// The lost connections hold reads of east at once; a probe confirms the failure.
			await("east OPEN with its breaker open").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> {
				int n = round.incrementAndGet() % 20;
				assertThat(service.find("k" + n).id()).isEqualTo("k" + n);
				// The state is published before the breaker follows it: wait for both.
				return east.state() == RegionState.OPEN && east.circuitBreaker().getState() == CircuitBreaker.State.OPEN;
			});
			long opened = System.nanoTime();
			assertThat(service.loads()).as("reads were served by west, not reloaded").isEqualTo(loadsBefore);
			System.out.printf("[figure] stopped local region -> OPEN: %d ms%n", TimeUnit.NANOSECONDS.toMillis(opened - stopped));
			service.setBalance("k1", new BigDecimal("7.00"));
			assertThat(service.find("k1").balance()).isEqualByComparingTo("7.00");
			assertThat(regions.get("west").command("EXISTS", "rc:accounts::k1")).isEqualTo(1L);
		});
	}

	@Test
	void hungLocalRegionNeverHoldsACallLongerThanTheBudget() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			// East serving, not still starting or recovering: a pause then hangs its calls, not its reconciliation.
			Regions all = TestApplications.serving(context);
			for (int i = 0; i < 10; i++) {
				service.find("h" + i);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> TestApplications.holdsAccounts(regions.get("west"), TestApplications.ids("h", 10)));
			regions.get("east").pause();
			long longest = 0;
			for (int i = 0; i < 60; i++) {
				long start = System.nanoTime();
				Account account = (i % 3 == 0) ? service.setBalance("h" + (i % 10), BigDecimal.valueOf(i)) : service.find("h" + (i % 10));
				longest = Math.max(longest, System.nanoTime() - start);
				assertThat(account.id()).isEqualTo("h" + (i % 10));
			}
			System.out.printf("[figure] longest cached call while the local region hung: %d ms%n", TimeUnit.NANOSECONDS.toMillis(longest));
			assertThat(Duration.ofNanos(longest)).isLessThan(Duration.ofMillis(900));
			assertThat(all.get("east").state()).isEqualTo(RegionState.OPEN);
		});
	}

	@Test
	void everyRegionDownRunsTheMethodAndNeverThrows() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			service.find("d1");
			regions.get("east").stop();
			regions.get("west").stop();
			for (int i = 0; i < 20; i++) {
				assertThat(service.find("d1").id()).isEqualTo("d1");
				assertThat(service.findOnce("d2").id()).isEqualTo("d2");
				assertThat(service.findAsync("d3").get(2, TimeUnit.SECONDS).id()).isEqualTo("d3");
				assertThat(service.setBalance("d1", BigDecimal.TEN).balance()).isEqualByComparingTo("10");
				service.blockCard("d1");
			}
			assertThat(service.loads()).isGreaterThanOrEqualTo(60);
		});
	}

}
