package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.actuate.ResilientCacheEndpoint;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.FailbackProber;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.replication.Replicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code resilientcache} actuator endpoint. Like every endpoint it is
 * available only when exposed ({@code management.endpoints.web.exposure.include=resilientcache}).
 */
@AutoConfiguration(after = { ResilientCacheRecoveryAutoConfiguration.class, ResilientCacheFleetAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ Regions.class, MultiRegionCacheManager.class })
public final class ResilientCacheEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	ResilientCacheEndpoint resilientCacheEndpoint(Regions regions, ReplayJournal journal, MultiRegionCacheManager cacheManager,
			Replicator replicator, ObjectProvider<FailbackProber> prober, ObjectProvider<RegionRecovery> recovery,
			ObjectProvider<AntiEntropyReconciler> reconciler, ObjectProvider<FleetTelemetry> fleet) {
		return new ResilientCacheEndpoint(RegionDescriptorsFactory.create(regions, journal, prober, recovery, reconciler), cacheManager,
				replicator, recovery.getIfAvailable(), reconciler.getIfAvailable(), fleet.getIfAvailable());
	}

}
