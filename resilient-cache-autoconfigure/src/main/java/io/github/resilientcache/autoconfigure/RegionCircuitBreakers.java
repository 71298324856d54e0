package io.github.resilientcache.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.List;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties.InstanceProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Creates each region's breaker, {@code resilient-cache-<region>}, in the application's registry so
 * that Resilience4j's metrics, health and endpoint show it. The configuration is Resilience4j's own
 * merge ({@link CommonCircuitBreakerConfigurationProperties#createCircuitBreakerConfig}) of
 * {@code resilience4j.circuitbreaker.instances.resilient-cache-<region>.*}, its {@code base-config}
 * and the named {@code CircuitBreakerConfigCustomizer} beans, over the starter's payment defaults
 * instead of Resilience4j's: so every instance setting applies, and one overridden setting keeps the
 * other defaults. {@code configs.default} does not apply: it is tuned for the application's other
 * calls, and its {@code record-exceptions} could stop a region's failures from counting.
 */
final class RegionCircuitBreakers {

	/** Name of the starter's defaults among the configs handed to Resilience4j's merge. */
	private static final String STARTER_DEFAULTS = "resilient-cache-defaults";

	private final CircuitBreakerRegistry registry;

	private final ResilientCacheProperties.CircuitBreaker defaults;

	private final @Nullable CommonCircuitBreakerConfigurationProperties resilience4jProperties;

	private final CompositeCustomizer<CircuitBreakerConfigCustomizer> customizers;

	RegionCircuitBreakers(CircuitBreakerRegistry registry, ResilientCacheProperties.CircuitBreaker defaults,
			@Nullable CommonCircuitBreakerConfigurationProperties resilience4jProperties,
			@Nullable CompositeCustomizer<CircuitBreakerConfigCustomizer> customizers) {
		this.registry = registry;
		this.defaults = defaults;
		this.resilience4jProperties = resilience4jProperties;
		this.customizers = (customizers != null) ? customizers : new CompositeCustomizer<>(List.of());
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
		// A merge of our own, so that the application's properties are read, never changed.
		CommonCircuitBreakerConfigurationProperties merge = new CommonCircuitBreakerConfigurationProperties();
		merge.getConfigs().put(STARTER_DEFAULTS, starterDefaults());
		InstanceProperties instance = copy(
				(this.resilience4jProperties != null) ? this.resilience4jProperties.getInstances().get(name) : null);
		String baseConfig = instance.getBaseConfig();
		InstanceProperties base = (baseConfig != null && this.resilience4jProperties != null)
				? this.resilience4jProperties.getConfigs().get(baseConfig) : null;
		if (base != null) {
			// The instance's own base config, itself over the starter's defaults. (A missing one fails
			// the start in Resilience4j's auto-configuration first, naming it.)
			merge.getConfigs().put(baseConfig, copy(base).setBaseConfig(STARTER_DEFAULTS));
		}
		else {
			instance.setBaseConfig(STARTER_DEFAULTS);
		}
		try {
			CircuitBreakerConfig merged = merge.createCircuitBreakerConfig(name, instance, this.customizers);
			// The failback prober, not a timer, moves a region back (after replaying what it missed): a
			// breaker that half-opened by itself would serve reads from a region not yet repaired.
			return CircuitBreakerConfig.from(merged).automaticTransitionFromOpenToHalfOpenEnabled(false).build();
		}
		catch (RuntimeException ex) {
			throw invalid(name, "*", "(see the reason)", "Resilience4j refused the breaker's settings: " + ex.getMessage());
		}
	}

	private InstanceProperties starterDefaults() {
		return new InstanceProperties().setSlidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.setSlidingWindowSize(this.defaults.getSlidingWindowSize())
			.setMinimumNumberOfCalls(this.defaults.getMinimumNumberOfCalls())
			.setFailureRateThreshold(this.defaults.getFailureRateThreshold())
			.setSlowCallRateThreshold(this.defaults.getSlowCallRateThreshold())
			.setSlowCallDurationThreshold(this.defaults.getSlowCallDurationThreshold())
			.setWritableStackTraceEnabled(false);
	}

	/** A copy of the set values only: the setters of Resilience4j's properties refuse nulls. */
	private static InstanceProperties copy(@Nullable InstanceProperties properties) {
		InstanceProperties copy = new InstanceProperties();
		if (properties != null) {
			BeanWrapper source = new BeanWrapperImpl(properties);
			BeanWrapper target = new BeanWrapperImpl(copy);
			for (PropertyDescriptor property : source.getPropertyDescriptors()) {
				String name = property.getName();
				Object value = source.isReadableProperty(name) ? source.getPropertyValue(name) : null;
				if (value != null && target.isWritableProperty(name)) {
					target.setPropertyValue(name, value);
				}
			}
		}
		return copy;
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, String setting, String value, String reason) {
		return new InvalidConfigurationPropertyValueException("resilience4j.circuitbreaker.instances." + name + "." + setting, value, reason);
	}

}
