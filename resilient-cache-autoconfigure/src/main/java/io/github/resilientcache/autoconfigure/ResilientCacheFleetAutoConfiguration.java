package io.github.resilientcache.autoconfigure;

import java.net.URI;

import io.github.resilientcache.actuate.CacheLatencyLoad;
import io.github.resilientcache.actuate.CacheLatencyTimer;
import io.github.resilientcache.actuate.FleetMetrics;
import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.fleet.RegionLoad;
import io.github.resilientcache.fleet.RegionRecoveryAction;
import io.github.resilientcache.fleet.WebhookRecoveryAction;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the fleet telemetry and recovery actions, on with
 * {@code resilient-cache.fleet.enabled=true}: the {@link FleetTelemetry} (snapshots, fleet view,
 * leader, incidents), the webhook action when {@code resilient-cache.fleet.webhook.url} is set, and
 * the fleet's meters when Micrometer is present, with each region's latency and calls read from the
 * cache's latency timers. Off, none of it exists: no stream, no thread.
 */
@AutoConfiguration(after = { ResilientCacheRecoveryAutoConfiguration.class, ResilientCacheMetricsAutoConfiguration.class })
@ConditionalOnBean(Regions.class)
@ConditionalOnBooleanProperty("resilient-cache.fleet.enabled")
public final class ResilientCacheFleetAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FleetTelemetry resilientCacheFleetTelemetry(Regions regions, ReplayJournal journal, ResilientCacheProperties properties,
			ObjectProvider<RegionRecoveryAction> actions, ObjectProvider<RegionLoad.Source> load) {
		ResilientCacheProperties.Fleet fleet = properties.getFleet();
		return new FleetTelemetry(regions, journal, journal.instanceId(),
				new FleetTelemetry.Settings(fleet.getInterval(), fleet.getStreamMaxLength(), fleet.getStaleAfter(), fleet.getQuorum(),
						fleet.getThreshold(), fleet.getCoolDown(), fleet.getLeaderLease(), fleet.getMaxActions(), fleet.getMaxActionsPeriod(),
						properties.getOperationTimeout().multipliedBy(4), properties.getCoordination().getSecret()),
				actions.orderedStream().toList(), load.getIfAvailable(() -> RegionLoad.Source.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("resilient-cache.fleet.webhook.url")
	WebhookRecoveryAction resilientCacheWebhookRecoveryAction(ResilientCacheProperties properties) {
		ResilientCacheProperties.Webhook webhook = properties.getFleet().getWebhook();
		URI url = webhook.getUrl();
		return new WebhookRecoveryAction((url != null) ? url : URI.create("http://localhost"), webhook.getConnectTimeout(), webhook.getTimeout(),
				webhook.getRetries(), webhook.getRetryBackoff(), properties.getCoordination().getSecret());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class FleetMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		FleetMetrics resilientCacheFleetMetrics(FleetTelemetry telemetry) {
			return new FleetMetrics(telemetry);
		}

		@Bean
		@ConditionalOnMissingBean(RegionLoad.Source.class)
		@ConditionalOnBean(CacheLatencyTimer.class)
		CacheLatencyLoad resilientCacheFleetLoad(MeterRegistry registry, Regions regions) {
			return new CacheLatencyLoad(registry, regions);
		}

	}

}
