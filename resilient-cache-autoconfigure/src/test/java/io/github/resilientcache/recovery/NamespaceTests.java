package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.StateLog;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications with different names share the Redis servers of both regions: each keeps its
 * entries, journals, locks and channels under its own prefix and never touches the other's.
 */
class NamespaceTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private static ApplicationContextRunner application(String name) {
		return TestApplications.runner(regions, "east").withBean(StateLog.class).withPropertyValues("spring.application.name=" + name);
	}

	@Test
	void twoApplicationsOnTheSameRedisNeverSeeEachOthersKeys() {
		application("payments").run((payments) -> application("ledger").run((ledger) -> {
			AccountService paymentsService = payments.getBean(AccountService.class);
			AccountService ledgerService = ledger.getBean(AccountService.class);
			// Both instances serving, not still starting: payments' east holds its journal of west.
			TestApplications.serving(payments);
			TestApplications.serving(ledger);
			paymentsService.setBalance("a1", BigDecimal.ONE);
			ledgerService.setBalance("a1", BigDecimal.TEN);
			assertThat(regions.get("east").command("GET", "payments:accounts::a1")).asString().contains("\"id\":\"a1\",\"balance\":[\"java.math.BigDecimal\",1]");
			assertThat(regions.get("east").command("GET", "ledger:accounts::a1")).asString().contains("\"id\":\"a1\",\"balance\":[\"java.math.BigDecimal\",10]");
			// Payments takes west offline: its journal, status and channel are its own.
			Regions paymentsRegions = payments.getBean(Regions.class);
			payments.getBean(RegionRecovery.class).takeOffline(paymentsRegions.get("west"), "maintenance");
			paymentsService.setBalance("a2", BigDecimal.ONE);
			await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(1).equals(regions.get("east").command("HLEN", "payments:journal:{west}")));
			assertThat(regions.get("east").command("EXISTS", "ledger:journal:{west}")).isEqualTo(0L);
			assertThat(ledger.getBean(StateLog.class).afterFirstUp("west")).as("ledger never heard of it").isEmpty();
			payments.getBean(CacheManager.class).getCache("accounts").clear();
			assertThat(regions.get("east").command("EXISTS", "ledger:accounts::a1")).isEqualTo(1L);
			assertThat(ledgerService.find("a1").balance()).isEqualByComparingTo(BigDecimal.TEN);
			List<?> rcKeys = (List<?>) regions.get("east").command("KEYS", "rc:*");
			assertThat(rcKeys).as("no key under the fallback prefix").isEmpty();
		}));
	}

}
