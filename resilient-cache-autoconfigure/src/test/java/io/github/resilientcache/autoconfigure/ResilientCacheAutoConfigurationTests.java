package io.github.resilientcache.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.region.Regions;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration tests: no Redis is needed because region clients connect lazily, on first use.
 */
class ResilientCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withPropertyValues("resilient-cache.local-region=east", "resilient-cache.regions.east.address=redis://127.0.0.1:1",
				"resilient-cache.regions.west.address=redis://127.0.0.1:2");

	@Test
	void createsMultiRegionCacheManagerWithLocalRegionFirst() {
		this.contextRunner.withPropertyValues("resilient-cache.local-region=west").run((context) -> {
			assertThat(context).hasSingleBean(CacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(MultiRegionCacheManager.class);
			Regions regions = context.getBean(Regions.class);
			assertThat(regions.all()).extracting("name").containsExactly("west", "east");
			assertThat(regions.local().isLocal()).isTrue();
		});
	}

	@Test
	void startsWhileEveryRegionIsUnreachable() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void backsOffWhenUserDefinesCacheManager() {
		this.contextRunner.withUserConfiguration(UserCacheManagerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
			assertThat(context).doesNotHaveBean(Regions.class);
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("resilient-cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MultiRegionCacheManager.class));
	}

	@Test
	void backsOffWithoutRedisson() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedissonClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MultiRegionCacheManager.class));
	}

	@Test
	void registersOneBreakerPerRegionInTheApplicationsRegistry() {
		this.contextRunner.run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			CircuitBreaker east = registry.find("resilient-cache-east").orElseThrow();
			assertThat(registry.find("resilient-cache-west")).isPresent();
			assertThat(east.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(50f);
			assertThat(east.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(20);
			assertThat(context.getBean(Regions.class).get("east").circuitBreaker()).isSameAs(east);
		});
	}

	@Test
	void starterDefaultsOfBreakersComeFromProperties() {
		this.contextRunner.withPropertyValues("resilient-cache.circuit-breaker.failure-rate-threshold=25",
				"resilient-cache.circuit-breaker.minimum-number-of-calls=4").run((context) -> {
					CircuitBreaker east = context.getBean(Regions.class).get("east").circuitBreaker();
					assertThat(east.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(25f);
					assertThat(east.getCircuitBreakerConfig().getMinimumNumberOfCalls()).isEqualTo(4);
				});
	}

	@Test
	void resilience4jInstancePropertiesOverrideOneSettingAndKeepTheOtherDefaults() {
		this.contextRunner.withPropertyValues("resilience4j.circuitbreaker.instances.resilient-cache-west.failure-rate-threshold=10")
			.run((context) -> {
				CircuitBreaker west = context.getBean(Regions.class).get("west").circuitBreaker();
				assertThat(west.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(10f);
				assertThat(west.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(20);
				assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("resilient-cache-west")).isSameAs(west);
			});
	}

	@Test
	void everyResilience4jInstanceSettingApplies() {
		this.contextRunner.withPropertyValues(
				"resilience4j.circuitbreaker.instances.resilient-cache-east.max-wait-duration-in-half-open-state=7s",
				"resilience4j.circuitbreaker.instances.resilient-cache-east.ignore-exceptions=java.lang.IllegalArgumentException",
				"resilience4j.circuitbreaker.instances.resilient-cache-east.record-exceptions=java.io.IOException,java.lang.IllegalStateException",
				"resilience4j.circuitbreaker.instances.resilient-cache-east.permitted-number-of-calls-in-half-open-state=2")
			.run((context) -> {
				CircuitBreakerConfig east = context.getBean(Regions.class).get("east").circuitBreaker().getCircuitBreakerConfig();
				assertThat(east.getMaxWaitDurationInHalfOpenState()).isEqualTo(Duration.ofSeconds(7));
				assertThat(east.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
				assertThat(east.getIgnoreExceptionPredicate().test(new IllegalArgumentException())).isTrue();
				assertThat(east.getRecordExceptionPredicate().test(new IllegalStateException())).isTrue();
				assertThat(east.getRecordExceptionPredicate().test(new UnsupportedOperationException())).isFalse();
				assertThat(east.getSlidingWindowSize()).as("the starter's default stays").isEqualTo(20);
			});
	}

	@Test
	void baseConfigOfTheInstanceAppliesOverTheStarterDefaults() {
		this.contextRunner.withPropertyValues("resilience4j.circuitbreaker.configs.cache.sliding-window-size=40",
				"resilience4j.circuitbreaker.configs.cache.failure-rate-threshold=30",
				"resilience4j.circuitbreaker.instances.resilient-cache-east.base-config=cache",
				"resilience4j.circuitbreaker.instances.resilient-cache-east.failure-rate-threshold=35")
			.run((context) -> {
				CircuitBreakerConfig east = context.getBean(Regions.class).get("east").circuitBreaker().getCircuitBreakerConfig();
				assertThat(east.getSlidingWindowSize()).isEqualTo(40);
				assertThat(east.getFailureRateThreshold()).isEqualTo(35f);
				assertThat(east.getMinimumNumberOfCalls()).as("the starter's default stays").isEqualTo(10);
			});
	}

	@Test
	void configsDefaultOfResilience4jDoesNotApplyToRegions() {
		this.contextRunner.withPropertyValues("resilience4j.circuitbreaker.configs.default.sliding-window-size=100",
				"resilience4j.circuitbreaker.configs.default.record-exceptions=java.lang.UnsupportedOperationException")
			.run((context) -> {
				CircuitBreakerConfig east = context.getBean(Regions.class).get("east").circuitBreaker().getCircuitBreakerConfig();
				assertThat(east.getSlidingWindowSize()).isEqualTo(20);
				assertThat(east.getRecordExceptionPredicate().test(new IllegalStateException())).isTrue();
			});
	}

	@Test
	void breakerNeverHalfOpensOnATimerWhateverTheProperties() {
		this.contextRunner
			.withPropertyValues("resilience4j.circuitbreaker.instances.resilient-cache-east.automatic-transition-from-open-to-half-open-enabled=true")
			.run((context) -> assertThat(context.getBean(Regions.class).get("east").circuitBreaker().getCircuitBreakerConfig()
				.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isFalse());
	}

	@Test
	void customizerBeanOfTheRegionsBreakerApplies() {
		this.contextRunner.withBean("eastBreakerCustomizer", CircuitBreakerConfigCustomizer.class,
				() -> CircuitBreakerConfigCustomizer.of("resilient-cache-east", (builder) -> builder.slowCallRateThreshold(42)))
			.run((context) -> assertThat(context.getBean(Regions.class).get("east").circuitBreaker().getCircuitBreakerConfig()
				.getSlowCallRateThreshold()).isEqualTo(42f));
	}

	@Test
	void failsNamingTheClosestSettingWhenARegionSettingIsMisspelled() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.adress=redis://127.0.0.1:2")
			.run((context) -> assertFailure(context, "resilient-cache.regions.west.adress",
					"'adress' is not a setting of a region. Did you mean 'address'?"));
	}

	@Test
	void failsNamingTheClosestSettingWhenANestedRegionSettingIsMisspelled() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.sentinel.master=main")
			.run((context) -> assertFailure(context, "resilient-cache.regions.west.sentinel.master", "Did you mean 'sentinel.master-name'?"));
	}

	@Test
	void failsWithoutEchoingTheValueOfAnUnknownSetting() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.passwrod=s3cr3t-value").run((context) -> {
			assertFailure(context, "resilient-cache.regions.west.passwrod", "Did you mean 'password'?");
			assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("s3cr3t-value");
		});
	}

	@Test
	void failsNamingTheClosestSettingWhenACacheSettingIsMisspelled() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.accounts.tll=5m")
			.run((context) -> assertFailure(context, "resilient-cache.caches.accounts.tll", "Did you mean 'ttl'?"));
	}

	@Test
	void listsTheSettingsWhenAnUnknownSettingIsNotCloseToAny() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.something-else=1")
			.run((context) -> assertFailure(context, "resilient-cache.regions.west.something-else", "Settings of a region: address, "));
	}

	@Test
	void singleRegionNeedsNoLocalRegion() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class))
			.withPropertyValues("resilient-cache.regions.only.address=redis://127.0.0.1:1")
			.run((context) -> assertThat(context.getBean(Regions.class).local().name()).isEqualTo("only"));
	}

	@Test
	void failsWhenNoRegionIsConfigured() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class))
			.run((context) -> assertFailure(context, "resilient-cache.regions", "No region is configured"));
	}

	@Test
	void failsWhenLocalRegionIsMissing() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class))
			.withPropertyValues("resilient-cache.regions.east.address=redis://127.0.0.1:1", "resilient-cache.regions.west.address=redis://127.0.0.1:2")
			.run((context) -> assertFailure(context, "resilient-cache.local-region", "required when several regions"));
	}

	@Test
	void failsWhenLocalRegionIsUnknown() {
		this.contextRunner.withPropertyValues("resilient-cache.local-region=north")
			.run((context) -> assertFailure(context, "resilient-cache.local-region", "'north' is not a configured region: use one of [east, west]"));
	}

	@Test
	void failsWhenAddressIsUnparsable() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.address=localhost:6379")
			.run((context) -> assertFailure(context, "resilient-cache.regions.west.address", "Use redis://host:port"));
	}

	@Test
	void failsWithoutEchoingCredentialsInAnAddress() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.address=http://user:s3cret@host:6379").run((context) -> {
			assertFailure(context, "resilient-cache.regions.west.address", "Use redis://host:port");
			assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("s3cret");
		});
	}

	@Test
	void failsWhenAddressHoldsCredentials() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.address=redis://admin:s3cret@127.0.0.1:6379").run((context) -> {
			assertFailure(context, "resilient-cache.regions.west.address", "set them in resilient-cache.regions.<name>.username");
			assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("s3cret");
		});
	}

	@Test
	void failsWithoutEchoingAPasswordWhateverCharactersItHolds() {
		for (String password : List.of("pa/ss", "p@ss@word", "pa:ss", "p%40ss", "p/a@s:s%")) {
			this.contextRunner.withPropertyValues("resilient-cache.regions.west.address=redis://admin:" + password + "@127.0.0.1:6379")
				.run((context) -> {
					assertFailure(context, "resilient-cache.regions.west.address", "username");
					assertThat(context.getStartupFailure()).rootCause().message().doesNotContain(password).doesNotContain("admin")
						.contains("redis://******@127.0.0.1:6379");
				});
			this.contextRunner.withPropertyValues("resilient-cache.regions.west.address=http://admin:" + password + "@host")
				.run((context) -> assertThat(context.getStartupFailure()).rootCause().message().doesNotContain(password));
		}
	}

	@Test
	void failsWhenTheTrustStoreIsMissing() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.address=rediss://127.0.0.1:6380",
				"resilient-cache.regions.west.ssl.trust-store=file:/nonexistent/redis-truststore.p12",
				"resilient-cache.regions.west.ssl.trust-store-password=tr0st")
			.run((context) -> {
				assertFailure(context, "resilient-cache.regions.west.ssl.trust-store", "cannot be read");
				assertThat(context.getStartupFailure()).rootCause().message().contains("holding the CA of the region's Redis servers")
					.doesNotContain("tr0st");
			});
	}

	@Test
	void failsWhenRegionHasNoAddress() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.north.timeout=1s", "resilient-cache.regions.north.address=")
			.run((context) -> assertFailure(context, "resilient-cache.regions.north.address", "exactly one of"));
	}

	@Test
	void failsWhenRegionHasTwoKinds() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.west.cluster-nodes=redis://127.0.0.1:3")
			.run((context) -> assertFailure(context, "resilient-cache.regions.west", "exactly one of"));
	}

	@Test
	void failsWhenDurationIsNegative() {
		this.contextRunner.withPropertyValues("resilient-cache.regions.east.timeout=-5ms")
			.run((context) -> assertFailure(context, "resilient-cache.regions.east.timeout", "positive duration"));
	}

	@Test
	void failsWhenOperationTimeoutIsZero() {
		this.contextRunner.withPropertyValues("resilient-cache.operation-timeout=0s")
			.run((context) -> assertFailure(context, "resilient-cache.operation-timeout", "positive duration"));
	}

	@Test
	void failsWhenThresholdIsOutOfRange() {
		this.contextRunner.withPropertyValues("resilient-cache.circuit-breaker.failure-rate-threshold=150")
			.run((context) -> assertFailure(context, "resilient-cache.circuit-breaker.failure-rate-threshold", "at most 100"));
	}

	@Test
	void failsWhenRegionNameHasReservedCharacters() {
		this.contextRunner.withPropertyValues("resilient-cache.regions[eu*1].address=redis://127.0.0.1:3")
			.run((context) -> assertFailure(context, "resilient-cache.regions.eu*1", "letters, digits"));
	}

	@Test
	void failsWhenAnAllowedPackageHasOneSegment() {
		this.contextRunner.withPropertyValues("resilient-cache.codec.allowed-packages=com.example.payments,org")
			.run((context) -> assertFailure(context, "resilient-cache.codec.allowed-packages[1]", "Name the package of your cached types"));
	}

	@Test
	void failsWhenAnAllowedPackageIsAJdkRoot() {
		this.contextRunner.withPropertyValues("resilient-cache.codec.allowed-packages=java.util")
			.run((context) -> assertFailure(context, "resilient-cache.codec.allowed-packages[0]", "JDK packages cannot be allowed"));
		this.contextRunner.withPropertyValues("resilient-cache.codec.allowed-packages=javax")
			.run((context) -> assertFailure(context, "resilient-cache.codec.allowed-packages[0]", "JDK packages cannot be allowed"));
		this.contextRunner.withPropertyValues("resilient-cache.codec.allowed-packages=com.sun.rowset")
			.run((context) -> assertFailure(context, "resilient-cache.codec.allowed-packages[0]", "JDK packages cannot be allowed"));
	}

	@Test
	void failsWhenAnAllowedPackageIsALibrarysOrNotAPackageName() {
		this.contextRunner.withPropertyValues("resilient-cache.codec.allowed-packages=org.springframework.context")
			.run((context) -> assertFailure(context, "resilient-cache.codec.allowed-packages[0]", "library's package"));
		this.contextRunner.withPropertyValues("resilient-cache.codec.allowed-packages=com.example.*")
			.run((context) -> assertFailure(context, "resilient-cache.codec.allowed-packages[0]", "no wildcards"));
	}

	private static void assertFailure(org.springframework.boot.test.context.assertj.AssertableApplicationContext context, String property,
			String message) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining(property)
			.hasMessageContaining(message);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheManagerConfiguration {

		@Bean
		CacheManager userCacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

}
