package io.github.resilientcache.testapp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheRecoveryAutoConfiguration;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.EmbeddedRedis;
import io.github.resilientcache.test.RedisRegions;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.awaitility.Awaitility.await;

/**
 * Application contexts as a user's: the starter's auto-configuration, the regions of a test, and an
 * {@link AccountService}. Timeouts are the starter's defaults unless a test says otherwise, and
 * breakers open after a few calls so that tests stay short.
 */
public final class TestApplications {

	private static final List<String> TEST_SETTINGS = List.of("resilient-cache.codec.allowed-packages=io.github.resilientcache.testapp",
			"resilient-cache.circuit-breaker.minimum-number-of-calls=5", "resilient-cache.circuit-breaker.sliding-window-size=10",
			"resilient-cache.reconciliation.enabled=false", "resilient-cache.probe.interval=100ms", "resilient-cache.probe.jitter=20ms");

	private TestApplications() {
	}

	/**
	 * A runner for an application instance whose local region is the given one.
	 * @param regions the test's regions
	 * @param local the local region
	 * @return the runner
	 */
	public static ApplicationContextRunner runner(RedisRegions regions, String local) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class, ResilientCacheRecoveryAutoConfiguration.class,
					CircuitBreakerAutoConfiguration.class, CacheAutoConfiguration.class))
			.withUserConfiguration(ServiceConfiguration.class)
			.withPropertyValues(properties(regions, local).toArray(String[]::new));
	}

	/**
	 * A runner for an application instance of servers the test started itself, given by their
	 * properties (regions, local region, credentials), with the same short windows as the others.
	 * @param regionProperties the properties of the regions
	 * @return the runner
	 */
	public static ApplicationContextRunner runner(List<String> regionProperties) {
		List<String> properties = new ArrayList<>(regionProperties);
		properties.addAll(TEST_SETTINGS);
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilientCacheAutoConfiguration.class, ResilientCacheRecoveryAutoConfiguration.class,
					CircuitBreakerAutoConfiguration.class, CacheAutoConfiguration.class))
			.withUserConfiguration(ServiceConfiguration.class)
			.withPropertyValues(properties.toArray(String[]::new));
	}

	/**
	 * The properties of an application instance of a test: its regions and local region, and short
	 * breaker windows and probe intervals so that tests stay short.
	 * @param regions the test's regions
	 * @param local the local region
	 * @return the properties
	 */
	public static List<String> properties(RedisRegions regions, String local) {
		List<String> properties = new ArrayList<>(List.of(regions.properties()));
		properties.add("resilient-cache.local-region=" + local);
		properties.addAll(TEST_SETTINGS);
		return properties;
	}

	/**
	 * Whether every region of an instance is UP (regions start OPEN and serve once probed and
	 * reconciled).
	 * @param regions the instance's regions
	 * @return whether all serve
	 */
	public static boolean allUp(Regions regions) {
		return regions.all().stream().allMatch((region) -> region.state() == RegionState.UP);
	}

	/**
	 * The regions of an instance once every one serves: what a test waits for before it takes a
	 * region away or counts what a serving region does. Start-up waits a bounded time for the first
	 * probes, so on a loaded machine a region may still be starting (OPEN, its breaker closed) when
	 * the context is ready.
	 * @param context the instance
	 * @return its regions, every one UP
	 */
	public static Regions serving(ApplicationContext context) {
		Regions regions = context.getBean(Regions.class);
		await("every region UP after start").atMost(Duration.ofSeconds(10)).until(() -> allUp(regions));
		return regions;
	}

	/**
	 * Whether a server holds the entries of every given account id in the accounts cache (the
	 * default prefix): what a test waits for before it takes the other region away. Not DBSIZE,
	 * which also counts the starter's own keys (the probe's canary, status, journals).
	 * @param server the server of a region
	 * @param ids the account ids
	 * @return whether every entry is there
	 */
	public static boolean holdsAccounts(EmbeddedRedis server, List<String> ids) {
		return ids.stream().allMatch((id) -> Long.valueOf(1).equals(server.command("EXISTS", "rc:accounts::" + id)));
	}

	/**
	 * The account ids {@code prefix + 0} to {@code prefix + (count - 1)}.
	 * @param prefix the prefix
	 * @param count how many
	 * @return the ids
	 */
	public static List<String> ids(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + i).toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		@Bean
		AccountService accountService() {
			return new AccountService();
		}

	}

}
