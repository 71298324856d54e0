package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.region.Version;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Anti-entropy repairs divergence planted directly in one region's Redis, behind the cache's back.
 */
class AntiEntropyTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void repairsDivergencePlantedInOneRegion() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			for (int i = 0; i < 10; i++) {
				service.setBalance("ae-" + i, BigDecimal.valueOf(i));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("west").dbSize() >= 10);
			// An older value in west (a region restored from an old snapshot).
			plant("west", "rc:accounts::ae-1", new Version(1, "east"), "{\"stale\":true}");
			// A key missing in west (a lost replication).
			regions.get("west").command("DEL", "rc:accounts::ae-2");
			// A newer value only east has (a write whose replication was lost).
			plant("east", "rc:accounts::ae-3", new Version((System.currentTimeMillis() + 1_000) << 16, "east"), "{\"newest\":true}");
			// A stale entry only west has, old enough that its eviction tombstone could have expired.
			plant("west", "rc:accounts::ghost", new Version(1, "west"), "{\"ghost\":true}");

			AntiEntropyReconciler reconciler = context.getBean(AntiEntropyReconciler.class);
			ReconciliationResult result = reconciler.reconcileNow();
			assertThat(result.skipped()).isNull();
			assertThat(result.keysChecked()).isGreaterThanOrEqualTo(10);
			assertThat(result.perCache()).containsKey("accounts");
			// On a loaded machine a read can time out; that key is checked again on the next run.
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				for (String key : new String[] { "rc:accounts::ae-1", "rc:accounts::ae-2", "rc:accounts::ae-3" }) {
					assertThat(regions.get("west").command("GET", key)).as(key).isEqualTo(regions.get("east").command("GET", key));
				}
				assertThat(regions.get("west").command("EXISTS", "rc:accounts::ghost")).isEqualTo(0L);
				if (!reconciler.reconcileNow().perCache().isEmpty()) {
					throw new AssertionError("divergence left");
				}
			});
			assertThat(result.divergent()).isBetween(1L, 4L);
			assertThat(result.repaired()).isEqualTo(result.divergent());
			assertThat(regions.get("west").command("GET", "rc:accounts::ae-1")).asString().doesNotContain("stale");
			assertThat(regions.get("west").command("GET", "rc:accounts::ae-3")).asString().contains("newest");
			assertThat(reconciler.reconcileNow().divergent()).as("a run after the repairs finds nothing").isZero();
		});
	}

	@Test
	void equalRegionsCostAFewRoundTripsAndTheRateLimitHolds() {
		TestApplications.runner(regions, "east")
			.withPropertyValues("resilient-cache.reconciliation.max-keys-per-second=400", "resilient-cache.reconciliation.batch-size=100")
			.run((context) -> {
				AccountService service = context.getBean(AccountService.class);
				for (int i = 0; i < 600; i++) {
					service.setBalance("rate-" + i, BigDecimal.valueOf(i));
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> regions.get("west").dbSize() >= 600);
				ReconciliationResult result = context.getBean(AntiEntropyReconciler.class).reconcileNow();
				System.out.printf("[figure] anti-entropy over 600 equal keys at 400 keys/s: %s%n", result.describe());
				assertThat(result.divergent()).isZero();
				assertThat(result.differingBuckets()).isZero();
				assertThat(result.keysChecked()).isGreaterThanOrEqualTo(600);
				// Digests, not reads: a SCAN page per round trip in each region, no GET per key.
				assertThat(result.roundTrips()).isLessThan(60);
				// Two regions of 600 keys at 400 keys/s (at least 1,200 permits, 400 a second): the limiter
				// cannot grant them before a second refresh of its period, a second at least after the first.
				assertThat(result.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(990));
			});
	}

	private static void plant(String region, String key, Version version, String json) {
		byte[] bytes = StoredEntry.value(version, json.getBytes(StandardCharsets.UTF_8)).toBytes();
		regions.get(region).command("SET", key, new String(bytes, StandardCharsets.UTF_8));
	}

}
