package io.github.resilientcache.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.actuate.CacheLatencyTimer;
import io.github.resilientcache.actuate.RegionEventStream;
import io.github.resilientcache.actuate.RegionEventStreamController;
import io.github.resilientcache.actuate.ResilientCacheEndpoint;
import io.github.resilientcache.actuate.ResilientCacheHealthIndicator;
import io.github.resilientcache.actuate.ResilientCacheMetrics;
import io.github.resilientcache.actuate.ResilientCacheSanitizingFunction;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, endpoint, metrics, stream and sanitizing are contributed when their libraries are there
 * and stay out, with the cache still working, when they are not.
 */
class ResilientCacheObservabilityAutoConfigurationTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private static final AutoConfigurations STARTER = AutoConfigurations.of(ResilientCacheAutoConfiguration.class,
			ResilientCacheRecoveryAutoConfiguration.class, ResilientCacheHealthAutoConfiguration.class,
			ResilientCacheEndpointAutoConfiguration.class, ResilientCacheMetricsAutoConfiguration.class,
			ResilientCacheStreamAutoConfiguration.class, ResilientCacheSanitizingAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
			CacheAutoConfiguration.class, MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class);

	/** Actuator's own: left out where Actuator is absent, as its jars would be. */
	private static final AutoConfigurations ACTUATOR = AutoConfigurations.of(EndpointAutoConfiguration.class,
			WebEndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class);

	private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner().withConfiguration(STARTER)
		.withConfiguration(ACTUATOR)
		.withUserConfiguration(ServiceConfiguration.class)
		.withPropertyValues(properties());

	@Test
	void contributesEveryObservingBeanInAServletWebApplication() {
		this.webRunner.withPropertyValues("management.endpoints.web.exposure.include=resilientcache").run((context) -> {
			assertThat(context).hasSingleBean(ResilientCacheHealthIndicator.class).hasBean("resilientCacheHealthIndicator");
			assertThat(context).hasSingleBean(ResilientCacheEndpoint.class);
			assertThat(context).hasSingleBean(ResilientCacheMetrics.class);
			assertThat(context).hasSingleBean(CacheLatencyTimer.class);
			assertThat(context).hasSingleBean(RegionEventStream.class);
			assertThat(context).hasSingleBean(RegionEventStreamController.class);
			assertThat(context).hasSingleBean(ResilientCacheSanitizingFunction.class);
			assertCacheWorks(context);
		});
	}

	@Test
	void endpointIsAbsentUnlessExposed() {
		this.webRunner.run((context) -> assertThat(context).doesNotHaveBean(ResilientCacheEndpoint.class));
	}

	@Test
	void healthIndicatorIsSwitchedOffByProperty() {
		this.webRunner.withPropertyValues("management.health.resilientcache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResilientCacheHealthIndicator.class));
	}

	@Test
	void streamIsSwitchedOffByProperty() {
		this.webRunner.withPropertyValues("resilient-cache.stream.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RegionEventStream.class).doesNotHaveBean(RegionEventStreamController.class));
	}

	@Test
	void streamNeedsAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(STARTER)
			.withConfiguration(ACTUATOR)
			.withUserConfiguration(ServiceConfiguration.class)
			.withPropertyValues(properties())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RegionEventStream.class);
				assertThat(context).hasSingleBean(ResilientCacheHealthIndicator.class);
				assertCacheWorks(context);
			});
	}

	@Test
	void cacheWorksWithoutActuator() {
		new WebApplicationContextRunner().withConfiguration(STARTER)
			.withUserConfiguration(ServiceConfiguration.class)
			.withPropertyValues(properties())
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.withPropertyValues("management.endpoints.web.exposure.include=resilientcache")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ResilientCacheHealthIndicator.class)
					.doesNotHaveBean(ResilientCacheEndpoint.class)
					.doesNotHaveBean(ResilientCacheSanitizingFunction.class);
				assertThat(context).hasSingleBean(ResilientCacheMetrics.class).hasSingleBean(RegionEventStream.class);
				assertCacheWorks(context);
			});
	}

	@Test
	void cacheWorksWithoutMicrometer() {
		this.webRunner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ResilientCacheMetrics.class).doesNotHaveBean(CacheLatencyTimer.class);
				assertThat(context).hasSingleBean(ResilientCacheHealthIndicator.class);
				assertCacheWorks(context);
			});
	}

	@Test
	void cacheWorksWithoutTheWebStack() {
		this.webRunner.withClassLoader(new FilteredClassLoader(SseEmitter.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RegionEventStream.class).doesNotHaveBean(RegionEventStreamController.class);
				assertCacheWorks(context);
			});
	}

	@Test
	void failsOnAStreamIntervalThatIsNotPositive() {
		this.webRunner.withPropertyValues("resilient-cache.stream.interval=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("resilient-cache.stream.interval");
		});
	}

	private static void assertCacheWorks(ApplicationContext context) {
		AccountService service = context.getBean(AccountService.class);
		service.find("ok");
		service.find("ok");
		assertThat(service.loads()).as("second read served by the cache").isEqualTo(1);
	}

	private static String[] properties() {
		List<String> properties = new ArrayList<>(List.of(regions.properties()));
		properties.add("resilient-cache.local-region=east");
		properties.add("resilient-cache.codec.allowed-packages=io.github.resilientcache.testapp");
		properties.add("resilient-cache.reconciliation.enabled=false");
		return properties.toArray(String[]::new);
	}

	/**
	 * A cached service, as the application's.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		@Bean
		AccountService accountService() {
			return new AccountService();
		}

	}

}
