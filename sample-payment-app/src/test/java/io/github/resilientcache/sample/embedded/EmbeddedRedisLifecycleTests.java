package io.github.resilientcache.sample.embedded;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.resilientcache.sample.SamplePaymentApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The embedded servers live exactly as long as the application: started with it, stopped when
 * its context closes or when it fails to start. Looks at this JVM's redis-server child processes.
 */
class EmbeddedRedisLifecycleTests {

	@Test
	void startsOneServerPerRegionAndStopsThemWhenTheContextCloses() {
		Set<ProcessHandle> before = redisServers();
		Set<ProcessHandle> started;
		try (ConfigurableApplicationContext context = application().run()) {
			started = newRedisServers(before);
			assertThat(started).hasSize(2);
			assertThat(context.getBean(EmbeddedRedisRegions.class)).isNotNull();
		}
		assertThat(started).noneMatch(ProcessHandle::isAlive);
	}

	@Test
	void stopsTheServersWhenStartupFails() {
		Set<ProcessHandle> before = redisServers();
		// The failure is expected: no failure report in the build's output.
		assertThatException().isThrownBy(() -> application().run("--resilient-cache.operation-timeout=-1s",
				"--logging.level.org.springframework.boot.diagnostics=off"));
		assertThat(newRedisServers(before)).isEmpty();
	}

	@Test
	void startsNothingWhenDisabled() {
		Set<ProcessHandle> before = redisServers();
		try (ConfigurableApplicationContext context = application().run("--sample.embedded-redis.enabled=false",
				"--resilient-cache.regions.east.address=redis://127.0.0.1:6379")) {
			assertThat(newRedisServers(before)).isEmpty();
			assertThat(context.getEnvironment().getPropertySources().contains(EmbeddedRedisEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
				.isFalse();
		}
	}

	private static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(SamplePaymentApplication.class).web(WebApplicationType.NONE);
	}

	private static Set<ProcessHandle> newRedisServers(Set<ProcessHandle> before) {
		return redisServers().stream().filter((process) -> !before.contains(process)).collect(Collectors.toSet());
	}

	private static Set<ProcessHandle> redisServers() {
		return ProcessHandle.current().children()
			.filter(ProcessHandle::isAlive)
			.filter((process) -> process.info().command().map((command) -> command.contains("redis-server")).orElse(false))
			.collect(Collectors.toSet());
	}

}
