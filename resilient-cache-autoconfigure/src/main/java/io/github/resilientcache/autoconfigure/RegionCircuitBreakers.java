package io.github.resilientcache.autoconfigure;

import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties.InstanceProperties;
import org.jspecify.annotations.Nullable;

/**
 * Creates each region's breaker, {@code resilient-cache-<region>}, in the application's registry so
 * that Resilience4j's metrics, health and endpoint show it. Starts from the starter's defaults and
 * lays the settings of {@code resilience4j.circuitbreaker.instances.resilient-cache-<region>.*} over
 * them, so that a user overrides one setting without losing the others.
 */
final class RegionCircuitBreakers {

	private final CircuitBreakerRegistry registry;

	private final ResilientCacheProperties.CircuitBreaker defaults;

	private final @Nullable CommonCircuitBreakerConfigurationProperties resilience4jProperties;

	RegionCircuitBreakers(CircuitBreakerRegistry registry, ResilientCacheProperties.CircuitBreaker defaults,
			@Nullable CommonCircuitBreakerConfigurationProperties resilience4jProperties) {
		this.registry = registry;
		this.defaults = defaults;
		this.resilience4jProperties = resilience4jProperties;
	}

	static String name(String region) {
		return "resilient-cache-" + region;
	}

	CircuitBreaker create(String region) {
		String name = name(region);
		CircuitBreakerConfig config = config(name);
		Optional<CircuitBreaker> existing = this.registry.find(name);
		if (existing.isPresent()) {
			// Created at start-up from the instance properties over Resilience4j's own defaults: replace
			// it with one over the starter's defaults.
			CircuitBreaker breaker = CircuitBreaker.of(name, config, existing.get().getTags());
			this.registry.replace(name, breaker);
			return breaker;
		}
		return this.registry.circuitBreaker(name, config);
	}

	private CircuitBreakerConfig config(String name) {
		CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(this.defaults.getSlidingWindowSize())
			.minimumNumberOfCalls(this.defaults.getMinimumNumberOfCalls())
			.failureRateThreshold(this.defaults.getFailureRateThreshold())
			.slowCallRateThreshold(this.defaults.getSlowCallRateThreshold())
			.slowCallDurationThreshold(this.defaults.getSlowCallDurationThreshold())
			// The failback prober, not a timer, moves a region back: the breaker never half-opens by itself.
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.writableStackTraceEnabled(false);
		InstanceProperties instance = (this.resilience4jProperties != null)
				? this.resilience4jProperties.getInstances().get(name) : null;
		if (instance != null) {
			overlay(builder, instance);
		}
		return builder.build();
	}

	private static void overlay(CircuitBreakerConfig.Builder builder, InstanceProperties instance) {
		if (instance.getSlidingWindowType() != null) {
			builder.slidingWindowType(instance.getSlidingWindowType());
		}
		if (instance.getSlidingWindowSize() != null) {
			builder.slidingWindowSize(instance.getSlidingWindowSize());
		}
		if (instance.getMinimumNumberOfCalls() != null) {
			builder.minimumNumberOfCalls(instance.getMinimumNumberOfCalls());
		}
		if (instance.getFailureRateThreshold() != null) {
			builder.failureRateThreshold(instance.getFailureRateThreshold());
		}
		if (instance.getSlowCallRateThreshold() != null) {
			builder.slowCallRateThreshold(instance.getSlowCallRateThreshold());
		}
		if (instance.getSlowCallDurationThreshold() != null) {
			builder.slowCallDurationThreshold(instance.getSlowCallDurationThreshold());
		}
		if (instance.getPermittedNumberOfCallsInHalfOpenState() != null) {
			builder.permittedNumberOfCallsInHalfOpenState(instance.getPermittedNumberOfCallsInHalfOpenState());
		}
		if (instance.getWaitDurationInOpenState() != null) {
			builder.waitDurationInOpenState(instance.getWaitDurationInOpenState());
		}
	}

}
