package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.actuate.CacheLatencyTimer;
import io.github.resilientcache.actuate.DecodeRejectionMetrics;
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
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the cache's Micrometer meters ({@link io.github.resilientcache.actuate.ResilientCacheMeters}):
 * a {@link MeterBinder} for counters and gauges, and the latency timer the cache manager records
 * into when a {@link MeterRegistry} exists. Resilience4j's own meters of each region's breaker
 * ({@code resilience4j.circuitbreaker.*}, tag {@code name=resilient-cache-<region>}) come from its
 * auto-configuration.
 */
@AutoConfiguration(after = ResilientCacheRecoveryAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ Regions.class, MultiRegionCacheManager.class })
public final class ResilientCacheMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResilientCacheMetrics resilientCacheMetrics(Regions regions, MultiRegionCacheManager cacheManager, ReplayJournal journal,
			Replicator replicator, HybridLogicalClock clock, ObjectProvider<RegionStatusBroadcaster> broadcaster) {
		return new ResilientCacheMetrics(regions, cacheManager, journal, replicator, clock, broadcaster.getIfAvailable());
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
