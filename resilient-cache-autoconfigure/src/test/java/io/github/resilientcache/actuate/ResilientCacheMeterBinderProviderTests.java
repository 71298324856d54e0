package io.github.resilientcache.actuate;

import java.math.BigDecimal;

import io.github.resilientcache.autoconfigure.ResilientCacheMetricsAutoConfiguration;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.concurrent.ConcurrentMapCache;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's standard cache meters ({@code cache.gets}, {@code cache.puts},
 * {@code cache.evictions}) for caches of the starter, with Boot's own cache metrics
 * auto-configuration and real Redis servers.
 */
class ResilientCacheMeterBinderProviderTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private final ApplicationContextRunner runner = TestApplications.runner(regions, "east")
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, ResilientCacheMetricsAutoConfiguration.class,
				CacheMetricsAutoConfiguration.class));

	@Test
	void standardMetersCountTheCallsOfEachCacheFromItsFirstUse() {
		this.runner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("cache.gets").meters()).as("no cache yet").isEmpty();
			service.find("s1");
			service.find("s1");
			service.setBalance("s1", BigDecimal.TEN);
			service.blockCard("s1");
			assertThat(count(registry, "cache.gets", "result", "miss")).isEqualTo(1);
			assertThat(count(registry, "cache.gets", "result", "hit")).isEqualTo(1);
			assertThat(registry.get("cache.puts").tag("cache", "accounts").tag("cache.manager", "cacheManager").functionCounter().count())
				.as("the @Cacheable load and the @CachePut").isEqualTo(2);
			assertThat(registry.get("cache.evictions").tag("cache", "accounts").functionCounter().count()).isEqualTo(1);
			assertThat(registry.find("cache.size").meters()).as("not known without scanning a region").isEmpty();
			assertThat(registry.find("resilient.cache.gets").tag("cache", "accounts").meters()).as("alongside the project's own").isNotEmpty();
		});
	}

	@Test
	void bindsOnlyCachesOfItsManager() {
		this.runner.run((context) -> {
			ResilientCacheMeterBinderProvider provider = context.getBean(ResilientCacheMeterBinderProvider.class);
			context.getBean(AccountService.class).find("s1");
			assertThat(provider.getMeterBinder(new ConcurrentMapCache("accounts"), java.util.List.of())).isNull();
		});
	}

	private static double count(MeterRegistry registry, String name, String tag, String value) {
		return registry.get(name).tag("cache", "accounts").tag(tag, value).functionCounter().count();
	}

}
