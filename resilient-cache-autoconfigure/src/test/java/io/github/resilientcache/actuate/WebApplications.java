package io.github.resilientcache.actuate;

import java.util.ArrayList;
import java.util.List;

import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real web application as a user's: everything auto-configured (Spring MVC on Tomcat,
 * Actuator, Micrometer, Resilience4j, the starter) on a random port, over the regions of a test,
 * with the health, resilientcache and metrics endpoints exposed.
 */
final class WebApplications {

	private WebApplications() {
	}

	/**
	 * Starts an application instance whose local region is the given one.
	 * @param regions the test's regions
	 * @param local the local region
	 * @param extra further properties
	 * @return the running context; close it to stop the application
	 */
	static ConfigurableApplicationContext start(RedisRegions regions, String local, String... extra) {
		List<String> properties = new ArrayList<>(List.of(regions.properties()));
		properties.add("resilient-cache.local-region=" + local);
		properties.add("resilient-cache.codec.allowed-packages=io.github.resilientcache.testapp");
		properties.add("resilient-cache.circuit-breaker.minimum-number-of-calls=5");
		properties.add("resilient-cache.circuit-breaker.sliding-window-size=10");
		properties.add("resilient-cache.reconciliation.enabled=false");
		properties.add("resilient-cache.probe.interval=100ms");
		properties.add("resilient-cache.probe.jitter=20ms");
		properties.add("resilient-cache.stream.interval=200ms");
		properties.add("server.port=0");
		properties.add("management.endpoints.web.exposure.include=health,resilientcache,metrics");
		properties.add("management.endpoint.health.show-details=always");
		properties.add("spring.main.banner-mode=off");
		properties.addAll(List.of(extra));
		return new SpringApplicationBuilder(ObservedApplication.class).properties(properties.toArray(String[]::new)).run();
	}

	/**
	 * Base URL of a running application.
	 * @param context the context
	 * @return e.g. {@code http://127.0.0.1:54321}
	 */
	static String baseUrl(ConfigurableApplicationContext context) {
		return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
	}

	/**
	 * The application: auto-configuration and a cached service.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ObservedApplication {

		@Bean
		AccountService accountService() {
			return new AccountService();
		}

	}

}
