package io.github.resilientcache.sample.embedded;

import java.util.List;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.Assert;

/**
 * Runs the sample with no Redis to install: when {@code sample.embedded-redis.enabled} is true,
 * starts one embedded Redis server per region ({@code east} and {@code west}, {@code east} local)
 * before any bean exists, and points {@code resilient-cache.regions.*} at them.
 * <p>
 * Runs after the configuration files are loaded, so that profiles (such as {@code production},
 * which turns it off) decide. Its properties take precedence over every other source: in embedded
 * mode the regions are the embedded servers, whatever else is configured.
 */
class EmbeddedRedisEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String ENABLED_PROPERTY = "sample.embedded-redis.enabled";

	static final String PROPERTY_SOURCE_NAME = "embeddedRedisRegions";

	/** Where to share the servers' addresses with a second instance; not shared when unset. */
	static final String SHARE_FILE_PROPERTY = "sample.embedded-redis.share-file";

	private static final List<String> REGIONS = List.of("east", "west");

	private static final String LOCAL_REGION = "east";

	private final Log logger;

	EmbeddedRedisEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EmbeddedRedisEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(ENABLED_PROPERTY, Boolean.class, false)) {
			return;
		}
		EmbeddedRedisRegions regions = EmbeddedRedisRegions.start(REGIONS, this.logger);
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, regions.cacheProperties(LOCAL_REGION)));
		String shareFile = environment.getProperty(SHARE_FILE_PROPERTY);
		if (shareFile != null && !shareFile.isBlank()) {
			regions.share(java.nio.file.Path.of(shareFile));
		}
		application.addInitializers((context) -> {
			Assert.state(context instanceof GenericApplicationContext, () -> "Embedded Redis needs a GenericApplicationContext, not "
					+ context.getClass().getName() + ": set " + ENABLED_PROPERTY + "=false and configure resilient-cache.regions");
			regions.attach(context);
			// A bean, so that the context stops the servers when it closes, after the cache's clients.
			((GenericApplicationContext) context).registerBean(EmbeddedRedisRegions.class, () -> regions,
					(definition) -> definition.setDestroyMethodName("close"));
			// A start-up that fails before that bean exists destroys no bean: stop the servers then.
			context.addApplicationListener(new CloseOnFailure(regions));
		});
	}

	/**
	 * Stops the servers when the application fails to start.
	 */
	private record CloseOnFailure(EmbeddedRedisRegions regions) implements ApplicationListener<ApplicationFailedEvent> {

		@Override
		public void onApplicationEvent(ApplicationFailedEvent event) {
			this.regions.close();
		}

	}

}
