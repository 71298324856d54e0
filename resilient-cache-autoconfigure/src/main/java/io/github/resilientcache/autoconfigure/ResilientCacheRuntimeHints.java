package io.github.resilientcache.autoconfigure;

import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties.InstanceProperties;
import io.github.resilientcache.actuate.RegionDescriptors;
import io.github.resilientcache.actuate.RegionEventStream;
import io.github.resilientcache.actuate.ResilientCacheEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Native-image hints for the starter's own types that are written as JSON by reflection (the
 * {@code /actuator/resilientcache} and health payloads and the events of the region stream) or
 * read through their bean properties (region and cache settings, Resilience4j's instance
 * settings, which the breakers' merge copies). The
 * properties, beans and endpoint operations need none of their own: Spring Boot's AOT processing
 * covers them. Values an application caches are its own types: it registers them itself, see
 * docs/configuration.md.
 */
class ResilientCacheRuntimeHints implements RuntimeHintsRegistrar {

	private static final Class<?>[] JSON_TYPES = { ResilientCacheEndpoint.ResilientCacheDescriptor.class,
			ResilientCacheEndpoint.CacheDescriptor.class, ResilientCacheEndpoint.ReplicationDescriptor.class,
			RegionDescriptors.RegionDescriptor.class, RegionDescriptors.ProbeDescriptor.class,
			RegionDescriptors.ReconciliationDescriptor.class, RegionEventStream.RegionSummary.class,
			RegionEventStream.RegionStateEvent.class, RegionEventStream.Rates.class, RegionEventStream.RegionRates.class,
			RegionEventStream.CacheTotals.class };

	/** Read through their bean properties: unknown-setting checks and the breaker settings' copy. */
	private static final Class<?>[] BEAN_TYPES = { ResilientCacheProperties.Region.class, ResilientCacheProperties.Sentinel.class,
			ResilientCacheProperties.Cache.class, InstanceProperties.class };

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), JSON_TYPES);
		for (Class<?> type : BEAN_TYPES) {
			hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
		}
	}

}
