package io.github.resilientcache.actuate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheMetricsAutoConfiguration;
import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.ReconciliationResult;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.RequiredSearch;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisTimeoutException;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meters of {@link ResilientCacheMeters} in a context with Micrometer's auto-configuration, as
 * real traffic flows through real Redis servers and a region fails.
 */
class ResilientCacheMetricsTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private final ApplicationContextRunner runner = TestApplications.runner(regions, "east")
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, CircuitBreakerMetricsAutoConfiguration.class,
				ResilientCacheMetricsAutoConfiguration.class));

	@Test
	void everyDocumentedMeterIsRegisteredWithItsTypeAndTags() {
		// A cache at the quorum level, for the meter only such caches have, with a near tier, so that
		// its meters are there too.
		this.runner.withPropertyValues("resilient-cache.caches.accounts.replication=quorum",
				"resilient-cache.caches.accounts.near-cache.enabled=true").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			service.find("m1");
			service.find("m1");
			service.setBalance("m1", BigDecimal.ONE);
			service.blockCard("m1");
			reconcile(context);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// The invalidation lag is recorded once the write's announcement came back.
			await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(ResilientCacheMeters.NEAR_INVALIDATION_LAG.getName()).timer() != null);
			for (ResilientCacheMeters documented : ResilientCacheMeters.values()) {
				Collection<Meter> meters = registry.find(documented.getName()).meters();
				assertThat(meters).as(documented.getName()).isNotEmpty();
				Set<String> keys = Arrays.stream(documented.getKeyNames()).map(KeyName::asString).collect(Collectors.toSet());
				for (Meter meter : meters) {
					assertThat(meter.getId().getType()).as(documented.getName()).isEqualTo(documented.getType());
					assertThat(meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet())).as(documented.getName())
						.isEqualTo(keys);
					assertThat(meter.getId().getDescription()).isEqualTo(documented.getDescription());
				}
			}
			assertThat(registry.getMeters().stream().map((meter) -> meter.getId().getName()).filter((name) -> name.startsWith("resilient.")))
				.as("every resilient.* meter is documented")
				.allMatch((name) -> Arrays.stream(ResilientCacheMeters.values()).anyMatch((meter) -> meter.getName().equals(name)));
		});
	}

	@Test
	void countersFollowHitsMissesPutsAndEvictions() {
		this.runner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Regions all = TestApplications.serving(context);
			AtomicInteger round = new AtomicInteger();
			// The scenario is five calls that east serves. On a starved machine a call can miss its
			// deadline and move to west, or open a breaker (the failover test's scenario, not this one):
			// the counts then differ, and the calls are made again with a new key once both regions serve.
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				assertThat(TestApplications.allUp(all)).as("both regions serve").isTrue();
				String id = "c" + round.incrementAndGet();
				EastCounts before = EastCounts.of(registry);
				service.find(id);
				service.find(id);
				service.find(id);
				service.setBalance(id, BigDecimal.TEN);
				service.blockCard(id);
				assertThat(EastCounts.of(registry).minus(before)).as("hits, misses, puts, evictions, failovers, then timed gets, puts, evictions")
					.isEqualTo(new EastCounts(2, 1, 2, 1, 0, 3, 2, 1));
			});
			await().atMost(Duration.ofSeconds(5)).until(() -> count(registry, "resilient.replication.completed") >= 3);
			assertThat(registry.get("resilient.replication.lag").functionTimer().count()).isGreaterThanOrEqualTo(3);
		});
	}

	/** The accounts cache's counts in east (failovers of any region), as its meters say. */
	private record EastCounts(double hits, double misses, double puts, double evictions, double failovers, long timedGets, long timedPuts,
			long timedEvictions) {

		static EastCounts of(MeterRegistry registry) {
			return new EastCounts(sum(registry, "resilient.cache.gets", "region", "east", "result", "hit"),
					sum(registry, "resilient.cache.gets", "region", "east", "result", "miss"), sum(registry, "resilient.cache.puts", "region", "east"),
					sum(registry, "resilient.cache.evictions", "region", "east"), sum(registry, "resilient.cache.failovers"), timed(registry, "get"),
					timed(registry, "put"), timed(registry, "evict"));
		}

		EastCounts minus(EastCounts before) {
			return new EastCounts(this.hits - before.hits, this.misses - before.misses, this.puts - before.puts, this.evictions - before.evictions,
					this.failovers - before.failovers, this.timedGets - before.timedGets, this.timedPuts - before.timedPuts,
					this.timedEvictions - before.timedEvictions);
		}

		/** Zero before the cache or the region's first call registered the meter. */
		private static double sum(MeterRegistry registry, String name, String... tags) {
			return registry.find(name).tags(tags).tag("cache", "accounts").functionCounters().stream().mapToDouble((counter) -> counter.count()).sum();
		}

		private static long timed(MeterRegistry registry, String operation) {
			Timer timer = registry.find("resilient.cache.latency").tags("operation", operation, "region", "east", "cache", "accounts").timer();
			return (timer != null) ? timer.count() : 0;
		}

	}

	@Test
	void acknowledgementsAreCountedByCacheLevelAndOutcomeForQuorumAndAllCachesOnly() {
		this.runner.withPropertyValues("resilient-cache.caches.accounts.replication=all").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			TestApplications.serving(context);
			service.findNothing("n1");
			service.find("k1");
			double met = acknowledgements(registry, "met");
			double shortfall = acknowledgements(registry, "shortfall");
			service.setBalance("k1", BigDecimal.ONE);
			service.blockCard("k1");
			assertThat(acknowledgements(registry, "met") + acknowledgements(registry, "shortfall")).isEqualTo(met + shortfall + 2);
			regions.get("west").stop();
			service.setBalance("k2", BigDecimal.TEN);
			assertThat(acknowledgements(registry, "shortfall")).as("west stopped: short of all").isGreaterThan(shortfall);
			assertThat(registry.find("resilient.replication.acknowledgements").tag("cache", "nothing").meters())
				.as("an async cache waits for no acknowledgement").isEmpty();
		});
	}

	private static double acknowledgements(MeterRegistry registry, String outcome) {
		return registry.get("resilient.replication.acknowledgements").tags("cache", "accounts", "level", "all", "outcome", outcome)
			.functionCounter()
			.count();
	}

	@Test
	void localRegionFailureCountsFailoversAndMovesTheStateGauges() {
		this.runner.run((context) -> {
			// East serving, not still starting (already OPEN): the region this test stops.
			TestApplications.serving(context);
			AccountService service = context.getBean(AccountService.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (int i = 0; i < 10; i++) {
				service.find("f" + i);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> TestApplications.holdsAccounts(regions.get("west"), TestApplications.ids("f", 10)));
			regions.get("east").stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				service.find("f" + (System.nanoTime() % 10));
				return gauge(registry, "resilient.region.state", "region", "east") == 2;
			});
			for (int i = 0; i < 10; i++) {
				service.find("f" + i);
			}
			assertThat(count(registry, "resilient.cache.failovers")).isGreaterThanOrEqualTo(10);
			assertThat(count(registry, "resilient.cache.gets", "region", "west", "result", "hit")).isGreaterThanOrEqualTo(10);
			assertThat(gauge(registry, "resilient.region.in.state", "region", "east", "state", "OPEN")).isEqualTo(1);
			assertThat(gauge(registry, "resilient.region.in.state", "region", "east", "state", "UP")).isZero();
			assertThat(gauge(registry, "resilient.region.state", "region", "west")).isZero();
			// Counted from the state change's event, which follows the state on the region's events thread.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(count(registry, "resilient.region.transitions", "region", "east", "state", "OPEN")).isEqualTo(1));
			assertThat(search(registry, "resilient.cache.latency", "operation", "get", "region", "west").timer().count()).isGreaterThanOrEqualTo(10);
			service.setBalance("f1", BigDecimal.ONE);
			assertThat(count(registry, "resilient.journal.recorded", "region", "east")).isPositive();
			assertThat(gauge(registry, "resilient.journal.depth", "region", "east")).isPositive();
		});
	}

	@Test
	void replaysAndReconciliationsAreCounted() {
		this.runner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// West serving, not still reconciled at start when the operator takes it out.
			Regions all = TestApplications.serving(context);
			RegionRecovery recovery = context.getBean(RegionRecovery.class);
			recovery.takeOffline(all.get("west"), "maintenance");
			service.setBalance("p1", BigDecimal.ONE);
			service.setBalance("p2", BigDecimal.ONE);
			assertThat(recovery.bringOnline(all.get("west"), "maintenance over")).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
			// At least the two keys: a key journaled both in memory and in Redis is replayed from each.
			assertThat(count(registry, "resilient.replay.entries", "region", "west")).isGreaterThanOrEqualTo(2);
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("west").command("EXISTS", "rc:accounts::p1").equals(1L));
			regions.get("west").command("DEL", "rc:accounts::p1");
			reconcile(context);
			assertThat(count(registry, "resilient.reconciliation.divergent")).isEqualTo(1);
			assertThat(count(registry, "resilient.reconciliation.repaired")).isEqualTo(1);
			assertThat(registry.get("resilient.reconciliation.duration").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void resilience4jRegistersTheMetersOfEachRegionBreaker() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("resilience4j.circuitbreaker.state").tag("name", "resilient-cache-east").gauges()).isNotEmpty();
			assertThat(registry.find("resilience4j.circuitbreaker.state").tag("name", "resilient-cache-west").gauges()).isNotEmpty();
		});
	}

	/**
	 * Runs a reconciliation until one runs to its end. On a starved machine a run can fail on a
	 * command that timed out (it then throws and counts nothing), or be skipped while a lost
	 * connection holds a region for a probe; what it found is found again by the next run.
	 */
	private static ReconciliationResult reconcile(ApplicationContext context) {
		AntiEntropyReconciler reconciler = context.getBean(AntiEntropyReconciler.class);
		return await("a reconciliation that ran to its end").atMost(Duration.ofSeconds(30))
			.ignoreExceptionsMatching((ex) -> Region.unwrap(ex) instanceof RedisTimeoutException)
			.until(reconciler::reconcileNow, (result) -> result.skipped() == null);
	}

	private static RequiredSearch search(MeterRegistry registry, String name, String... tags) {
		return registry.get(name).tags(tags).tag("cache", "accounts").name(name);
	}

	private static double count(MeterRegistry registry, String name, String... tags) {
		RequiredSearch search = registry.get(name).tags(tags);
		if (name.startsWith("resilient.cache.")) {
			search = search.tag("cache", "accounts");
		}
		return search.functionCounters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private static double gauge(MeterRegistry registry, String name, String... tags) {
		return registry.get(name).tags(tags).gauge().value();
	}

}
