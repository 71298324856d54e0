package io.github.resilientcache.autoconfigure;

import java.time.Duration;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.cache.CacheSettings;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.replication.ReplicationMode;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replication level and budget of each cache, as configured: defaults, per-cache settings and
 * the start-up errors of bad values. No Redis is needed: region clients connect on first use.
 */
class ReplicationLevelPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withPropertyValues("resilient-cache.local-region=east", "resilient-cache.regions.east.address=redis://127.0.0.1:1",
				"resilient-cache.regions.west.address=redis://127.0.0.1:2");

	@Test
	void cachesAreAsyncWithTheOperationTimeoutByDefault() {
		this.contextRunner.withPropertyValues("resilient-cache.operation-timeout=300ms").run((context) -> {
			CacheSettings settings = settings(context, "accounts");
			assertThat(settings.replication()).isEqualTo(ReplicationMode.ASYNC);
			assertThat(settings.operationTimeout()).isEqualTo(Duration.ofMillis(300));
		});
	}

	@Test
	void cachesTakeTheDefaultLevelUnlessTheyHaveTheirOwnLevelAndTimeout() {
		this.contextRunner
			.withPropertyValues("resilient-cache.replication.mode=quorum", "resilient-cache.operation-timeout=300ms",
					"resilient-cache.caches.cards.replication=all", "resilient-cache.caches.cards.timeout=1s",
					"resilient-cache.caches.rates.replication=async", "resilient-cache.caches.rates.ttl=30s")
			.run((context) -> {
				assertThat(settings(context, "accounts").replication()).isEqualTo(ReplicationMode.QUORUM);
				assertThat(settings(context, "accounts").operationTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(settings(context, "cards").replication()).isEqualTo(ReplicationMode.ALL);
				assertThat(settings(context, "cards").operationTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(settings(context, "rates").replication()).isEqualTo(ReplicationMode.ASYNC);
				assertThat(settings(context, "rates").operationTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(settings(context, "rates").ttl()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void syncIsTheAllLevelUnderItsOlderName() {
		this.contextRunner.withPropertyValues("resilient-cache.replication.mode=sync", "resilient-cache.caches.cards.replication=Sync")
			.run((context) -> {
				MultiRegionCacheManager manager = context.getBean(MultiRegionCacheManager.class);
				manager.getCache("accounts");
				manager.getCache("cards");
				assertThat(manager.getStatistics("accounts").replication()).isEqualTo(ReplicationMode.ALL);
				assertThat(manager.getStatistics("cards").replication()).isEqualTo(ReplicationMode.ALL);
			});
	}

	@Test
	void failsWhenACachesReplicationLevelIsUnknown() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.accounts.replication=quorom").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("'quorom' is not a replication level")
				.hasMessageContaining("async")
				.hasMessageContaining("quorum")
				.hasMessageContaining("all");
			assertThat(context.getStartupFailure()).hasStackTraceContaining("resilient-cache.caches.accounts.replication");
		});
	}

	@Test
	void failsWhenTheDefaultReplicationModeIsUnknown() {
		this.contextRunner.withPropertyValues("resilient-cache.replication.mode=majority").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("'majority' is not a replication level");
			assertThat(context.getStartupFailure()).hasStackTraceContaining("resilient-cache.replication.mode");
		});
	}

	@Test
	void failsWhenACachesTimeoutIsNotPositive() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.accounts.timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("resilient-cache.caches.accounts.timeout")
				.hasMessageContaining("Use a positive duration");
		});
	}

	@Test
	void failsWhenACacheSettingIsMisspelled() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.accounts.replicaton=all").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("Did you mean 'replication'?");
		});
	}

	private static CacheSettings settings(AssertableApplicationContext context, String cache) {
		MultiRegionCacheManager manager = context.getBean(MultiRegionCacheManager.class);
		manager.getCache(cache);
		CacheSettings settings = manager.getSettings(cache);
		assertThat(settings).isNotNull();
		return settings;
	}

}
