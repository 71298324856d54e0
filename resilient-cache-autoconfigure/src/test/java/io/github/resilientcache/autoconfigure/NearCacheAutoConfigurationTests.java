package io.github.resilientcache.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.actuate.ResilientCacheHealthIndicator;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.cache.NearCache;
import io.github.resilientcache.cache.NearFlushCause;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The near cache's settings, meters and health: opt-in per cache with defaults for all, checked at
 * start-up, observed like the rest of the cache.
 */
class NearCacheAutoConfigurationTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private final ApplicationContextRunner unreachable = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withPropertyValues("resilient-cache.local-region=east", "resilient-cache.regions.east.address=redis://127.0.0.1:1",
				"resilient-cache.regions.west.address=redis://127.0.0.1:2", "resilient-cache.caches.accounts.near-cache.enabled=true");

	private final ApplicationContextRunner observed = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class, ResilientCacheRecoveryAutoConfiguration.class,
				ResilientCacheHealthAutoConfiguration.class, ResilientCacheMetricsAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
				CacheAutoConfiguration.class, MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class))
		.withBean(AccountService.class)
		.withPropertyValues(TestApplications.properties(regions, "east").toArray(String[]::new));

	@Test
	void startsWhileEveryRegionIsUnreachable() {
		this.unreachable.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MultiRegionCacheManager.class).getNearInvalidations()).isNotNull();
		});
	}

	@Test
	void perCacheSettingsOverrideTheDefaults() {
		this.unreachable.withPropertyValues("resilient-cache.near-cache.max-staleness=3s",
				"resilient-cache.caches.accounts.near-cache.max-staleness=2s", "resilient-cache.caches.other.near-cache.enabled=false")
			.run((context) -> {
				MultiRegionCacheManager manager = context.getBean(MultiRegionCacheManager.class);
				manager.getCache("accounts");
				manager.getCache("other");
				assertThat(manager.getNearCache("accounts")).isNotNull();
				assertThat(manager.getNearCache("other")).isNull();
				assertThat(manager.getNearCache("unlisted")).isNull();
			});
	}

	@Test
	void failsOnAMaxStalenessThatIsNotPositive() {
		this.unreachable.withPropertyValues("resilient-cache.caches.accounts.near-cache.max-staleness=0s")
			.run((context) -> assertFailure(context, "resilient-cache.caches.accounts.near-cache.max-staleness"));
	}

	@Test
	void failsOnAMaxSizeBelowOne() {
		this.unreachable.withPropertyValues("resilient-cache.near-cache.max-size=0")
			.run((context) -> assertFailure(context, "resilient-cache.near-cache.max-size"));
	}

	@Test
	void failsWhenTheChannelSilenceWindowIsNotShorterThanMaxStaleness() {
		this.unreachable.withPropertyValues("resilient-cache.near-cache.heartbeat-interval=1s",
				"resilient-cache.caches.accounts.near-cache.max-staleness=2s")
			.run((context) -> assertFailure(context, "resilient-cache.near-cache.heartbeat-interval"));
	}

	@Test
	void failsNamingTheSettingWhenANearCacheSettingIsMisspelled() {
		this.unreachable.withPropertyValues("resilient-cache.caches.accounts.near-cache.max-stalenes=2s")
			.run((context) -> assertFailure(context, "near-cache.max-staleness"));
	}

	@Test
	void nearTierIsMeteredAndShownInHealth() {
		this.observed.withPropertyValues("resilient-cache.caches.accounts.near-cache.enabled=true").run((context) -> {
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(context.getBean(Regions.class)));
			AccountService service = context.getBean(AccountService.class);
			NearCache near = nearCache(context);
			await().atMost(Duration.ofSeconds(5)).until(near::isLive);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// The first read loads and writes. The announcement of that write drops what a read filled before it
			// arrived (its version is not newer): on a loaded machine it can arrive after the next read filled and hit,
			// so the entry is gone by the time the gauge is read. Wait until east's announcement was processed first.
			service.find("metered");
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				Timer lag = registry.find("resilient.cache.near.invalidation.lag").tag("region", "east").timer();
				return lag != null && lag.count() > 0;
			});
			// A hit, and the gauges show its entry and a live tier. A doubt flush in between (a starved machine can
			// silence the channel for a window, which rightly flushes) only means reading again.
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				long flushes = flushes(registry);
				double hits = nearGets(registry, "hit");
				service.find("metered");
				boolean hit = nearGets(registry, "hit") > hits;
				double size = registry.get("resilient.cache.near.size").tag("cache", "accounts").gauge().value();
				double live = registry.get("resilient.cache.near.live").tag("cache", "accounts").gauge().value();
				return hit && flushes(registry) == flushes && size == 1 && live == 1;
			});
			service.setBalance("metered", java.math.BigDecimal.TEN);
			assertThat(nearGets(registry, "miss")).isPositive();
			// Each cause has its counter, reading the tier's own (a failover can happen on a loaded machine).
			for (NearFlushCause cause : NearFlushCause.values()) {
				assertThat(registry.get("resilient.cache.near.flushes").tag("cause", cause.tag()).functionCounter().count())
					.isEqualTo(near.flushes(cause));
			}
			assertThat(registry.get("resilient.cache.near.invalidations").functionCounter().count()).isPositive();
			Health health = context.getBean(ResilientCacheHealthIndicator.class).health();
			assertThat(health.getDetails()).containsKey("nearCaches");
			Map<?, ?> nearCaches = (Map<?, ?>) health.getDetails().get("nearCaches");
			assertThat(nearCaches.keySet().toString()).isEqualTo("[accounts]");
			assertThat(((Map<?, ?>) nearCaches.get("accounts")).get("live")).isEqualTo(true);
		});
	}

	@Test
	void healthShowsNoNearCachesWhenNoneIsEnabled() {
		this.observed.run((context) -> {
			Health health = context.getBean(ResilientCacheHealthIndicator.class).health();
			assertThat(health.getDetails()).doesNotContainKey("nearCaches");
			assertThat(context.getBean(MeterRegistry.class).find("resilient.cache.near.gets").meters()).isEmpty();
		});
	}

	private static double nearGets(MeterRegistry registry, String result) {
		return registry.get("resilient.cache.near.gets").tag("cache", "accounts").tag("result", result).functionCounter().count();
	}

	private static long flushes(MeterRegistry registry) {
		return (long) registry.get("resilient.cache.near.flushes").tag("cache", "accounts").functionCounters().stream()
			.mapToDouble(FunctionCounter::count)
			.sum();
	}

	private static NearCache nearCache(AssertableApplicationContext context) {
		MultiRegionCacheManager manager = context.getBean(MultiRegionCacheManager.class);
		manager.getCache("accounts");
		NearCache near = manager.getNearCache("accounts");
		assertThat(near).isNotNull();
		return near;
	}

	private static void assertFailure(AssertableApplicationContext context, String property) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining(property);
	}

}
