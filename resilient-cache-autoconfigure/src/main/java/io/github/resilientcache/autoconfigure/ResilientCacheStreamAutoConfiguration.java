package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.actuate.RegionEventStream;
import io.github.resilientcache.actuate.RegionEventStreamController;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.FailbackProber;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Auto-configuration of the live region event stream (Server-Sent Events) in servlet web
 * applications, at {@code resilient-cache.stream.path}. Off unless
 * {@code resilient-cache.stream.enabled=true}: it serves on the application port, outside
 * Actuator's exposure rules, so an application turns it on knowingly (and secures it).
 */
@AutoConfiguration(after = { ResilientCacheRecoveryAutoConfiguration.class, ResilientCacheFleetAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SseEmitter.class)
@ConditionalOnBean({ Regions.class, MultiRegionCacheManager.class })
@ConditionalOnBooleanProperty(name = "resilient-cache.stream.enabled")
public final class ResilientCacheStreamAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RegionEventStream resilientCacheRegionEventStream(Regions regions, ReplayJournal journal, MultiRegionCacheManager cacheManager,
			ResilientCacheProperties properties, ObjectProvider<FailbackProber> prober, ObjectProvider<RegionRecovery> recovery,
			ObjectProvider<AntiEntropyReconciler> reconciler, ObjectProvider<FleetTelemetry> fleet) {
		ResilientCacheProperties.Stream stream = properties.getStream();
		RegionEventStream events = new RegionEventStream(RegionDescriptorsFactory.create(regions, journal, prober, recovery, reconciler),
				cacheManager, stream.getInterval(), stream.getMaxSubscribers(), stream.getMaxSubscribersPerClient(), stream.getTimeout());
		fleet.ifAvailable(events::includeFleet);
		return events;
	}

	@Bean
	@ConditionalOnMissingBean
	RegionEventStreamController resilientCacheRegionEventStreamController(RegionEventStream stream) {
		return new RegionEventStreamController(stream);
	}

}
