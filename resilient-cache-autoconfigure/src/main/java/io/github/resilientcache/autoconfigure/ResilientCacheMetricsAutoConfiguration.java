package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.actuate.CacheLatencyTimer;
import io.github.resilientcache.actuate.DecodeRejectionMetrics;
import io.github.resilientcache.actuate.ResilientCacheMeterBinderProvider;
import io.github.resilientcache.actuate.ResilientCacheMetrics;
import io.github.resilientcache.cache.CacheOperationTimer;
import io.github.resilientcache.cache.DecodeRejections;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.recovery.RegionStatusBroadcaster;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.replication.Replicator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the cache's Micrometer meters ({@link io.github.resilientcache.actuate.ResilientCacheMeters}):
 * a {@link MeterBinder} for counters and gauges, and the latency timer the cache manager records
 * into when a {@link MeterRegistry} exists. Resilience4j's own meters of each region's breaker
 * ({@code resilience4j.circuitbreaker.*}, tag {@code name=resilient-cache-<region>}) come from its
 * auto-configuration.
 */
@AutoConfiguration(after = ResilientCacheRecoveryAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		beforeName = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ Regions.class, MultiRegionCacheManager.class })
public final class ResilientCacheMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResilientCacheMetrics resilientCacheMetrics(Regions regions, MultiRegionCacheManager cacheManager, ReplayJournal journal,
			Replicator replicator, HybridLogicalClock clock, ObjectProvider<RegionStatusBroadcaster> broadcaster) {
		return new ResilientCacheMetrics(regions, cacheManager, journal, replicator, clock, broadcaster.getIfAvailable());
	}

	/**
	 * Spring Boot's standard cache meters. Boot binds the caches that exist at start-up; these caches
	 * are created on first use, so each is bound when it is created.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ CacheMeterBinderProvider.class, CacheMetricsRegistrar.class })
	static class StandardCacheMetersConfiguration {

		private static final Log logger = LogFactory.getLog(StandardCacheMetersConfiguration.class);

		@Bean
		@ConditionalOnMissingBean
		ResilientCacheMeterBinderProvider resilientCacheMeterBinderProvider(MultiRegionCacheManager cacheManager) {
			return new ResilientCacheMeterBinderProvider(cacheManager);
		}

		@Bean
		SmartInitializingSingleton resilientCacheStandardMetersBinding(MultiRegionCacheManager cacheManager,
				ObjectProvider<CacheMetricsRegistrar> registrar) {
			return () -> cacheManager.addCacheCreatedListener((name) -> registrar.ifAvailable((available) -> {
				try {
					// The tag Boot gives the caches of the bean named cacheManager.
					available.bindCacheToRegistry(cacheManager.getCache(name), Tag.of("cache.manager", "cacheManager"));
				}
				catch (RuntimeException ex) {
					// On the business call's thread (the cache's first use): metrics never fail it.
					logger.warn("Could not bind the standard meters of cache '" + name + "'", ex);
				}
			}));
		}

	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(DecodeRejections.class)
	DecodeRejectionMetrics resilientCacheDecodeRejectionMetrics(DecodeRejections rejections) {
		return new DecodeRejectionMetrics(rejections);
	}

	@Bean
	@ConditionalOnMissingBean(CacheOperationTimer.class)
	@ConditionalOnBean(MeterRegistry.class)
	CacheLatencyTimer resilientCacheLatencyTimer(MeterRegistry registry, Regions regions) {
		return new CacheLatencyTimer(registry, regions);
	}

}
