package io.github.resilientcache.autoconfigure;

import java.util.Map;
import java.util.Set;

import io.github.resilientcache.actuate.ResilientCacheHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DEGRADED} is ordered between {@code DOWN} and {@code UP} unless the application orders
 * statuses itself, and keeps Boot's HTTP mapping.
 */
class ResilientCacheHealthEnvironmentPostProcessorTests {

	private final ResilientCacheHealthEnvironmentPostProcessor postProcessor = new ResilientCacheHealthEnvironmentPostProcessor();

	@Test
	void ordersDegradedBetweenDownAndUpAndLeavesItsHttpStatusAt200() {
		StandardEnvironment environment = new StandardEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		StatusAggregator aggregator = StatusAggregator.of(order(environment).split(","));
		assertThat(aggregator.getAggregateStatus(Set.of(Status.UP, ResilientCacheHealthIndicator.DEGRADED)))
			.isEqualTo(ResilientCacheHealthIndicator.DEGRADED);
		assertThat(aggregator.getAggregateStatus(Set.of(Status.DOWN, ResilientCacheHealthIndicator.DEGRADED))).isEqualTo(Status.DOWN);
		HttpCodeStatusMapper mapper = HttpCodeStatusMapper.getDefault();
		assertThat(mapper.getStatusCode(ResilientCacheHealthIndicator.DEGRADED)).isEqualTo(200);
		assertThat(mapper.getStatusCode(Status.DOWN)).isEqualTo(503);
	}

	@Test
	void keepsTheApplicationsOwnOrder() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("management.endpoint.health.status.order[0]", "DOWN",
					"management.endpoint.health.status.order[1]", "UP")));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(Binder.get(environment).bind("management.endpoint.health.status.order", Bindable.listOf(String.class)).get())
			.containsExactly("DOWN", "UP");
	}

	@Test
	void isRegisteredForSpringApplication() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(EnvironmentPostProcessor.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
			})))
			.hasAtLeastOneElementOfType(ResilientCacheHealthEnvironmentPostProcessor.class);
	}

	private static String order(StandardEnvironment environment) {
		return environment.getProperty(ResilientCacheHealthEnvironmentPostProcessor.ORDER_PROPERTY);
	}

}
