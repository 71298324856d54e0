package io.github.resilientcache.actuate;

import java.util.ArrayList;
import java.util.List;

import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.TestApplications;
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
	 * @return the running context, every region serving; close it to stop the application
	 */
	static ConfigurableApplicationContext start(RedisRegions regions, String local, String... extra) {
		List<String> properties = TestApplications.properties(regions, local);
		properties.add("resilient-cache.stream.interval=200ms");
		properties.add("resilient-cache.stream.enabled=true");
		properties.add("server.port=0");
		properties.add("management.endpoints.web.exposure.include=health,resilientcache,metrics");
		properties.add("management.endpoint.health.show-details=always");
		properties.add("spring.main.banner-mode=off");
		properties.addAll(List.of(extra));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ObservedApplication.class).properties(properties.toArray(String[]::new))
			.run();
		// Every test here begins from regions that serve.
		try {
			TestApplications.serving(context);
		}
		catch (RuntimeException | Error ex) {
			context.close();
			throw ex;
		}
		return context;
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
