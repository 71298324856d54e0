package io.github.resilientcache.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Orders the {@code DEGRADED} health status between {@code DOWN} and {@code UP}, as a default an
 * application's own {@code management.endpoint.health.status.order} replaces. Without it Spring
 * Boot's aggregation ignores statuses it does not know, and a degraded cache would not show in the
 * overall status.
 * <p>
 * The HTTP status is left alone on purpose: Boot answers 200 for every status it has no mapping
 * for, and a mapping of {@code DEGRADED} alone would replace Boot's defaults (so {@code DOWN}
 * would answer 200 too).
 */
final class ResilientCacheHealthEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String ORDER_PROPERTY = "management.endpoint.health.status.order";

	static final String DEFAULT_ORDER = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

	private static final String PROPERTY_SOURCE = "resilientCacheHealthDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent("org.springframework.boot.health.contributor.Status", application.getClassLoader())) {
			return;
		}
		if (Binder.get(environment).bind(ORDER_PROPERTY, Bindable.listOf(String.class)).isBound()) {
			return;
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, Map.of(ORDER_PROPERTY, DEFAULT_ORDER)));
	}

	@Override
	public int getOrder() {
		// After the application's configuration files are loaded, so that its own order is seen.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
