package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.actuate.ResilientCacheHealthIndicator;
import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.FailbackProber;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;

import io.github.resilientcache.cache.MultiRegionCacheManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code resilientCache} health component. Switched off with
 * {@code management.health.resilientcache.enabled=false}. Its {@code DEGRADED} status is ordered
 * between {@code DOWN} and {@code UP} by {@link ResilientCacheHealthEnvironmentPostProcessor}.
 */
@AutoConfiguration(after = ResilientCacheRecoveryAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Regions.class)
public final class ResilientCacheHealthAutoConfiguration {

	// On the method, not the class: its condition class lives in spring-boot-health, which may be absent.
	@Bean
	@ConditionalOnEnabledHealthIndicator("resilientcache")
	@ConditionalOnMissingBean(name = "resilientCacheHealthIndicator")
	ResilientCacheHealthIndicator resilientCacheHealthIndicator(Regions regions, ReplayJournal journal, ObjectProvider<FailbackProber> prober,
			ObjectProvider<RegionRecovery> recovery, ObjectProvider<AntiEntropyReconciler> reconciler,
			ObjectProvider<MultiRegionCacheManager> cacheManager) {
		ResilientCacheHealthIndicator indicator = new ResilientCacheHealthIndicator(
				RegionDescriptorsFactory.create(regions, journal, prober, recovery, reconciler));
		cacheManager.ifAvailable(indicator::describeNearCaches);
		return indicator;
	}

}
