package io.github.resilientcache.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheRecoveryAutoConfiguration;
import io.github.resilientcache.replication.Replicator;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.testfixture.cache.AbstractValueAdaptingCacheTests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Framework's own cache contract ({@code AbstractCacheTests} and
 * {@code AbstractValueAdaptingCacheTests}, copied from its test fixtures) against a cache of the
 * starter over two real Redis regions, one application with null values allowed and one without.
 */
class MultiRegionCacheContractTests extends AbstractValueAdaptingCacheTests<MultiRegionCache> {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private static ConfigurableApplicationContext allowingNulls;

	private static ConfigurableApplicationContext refusingNulls;

	@BeforeAll
	static void startApplications() {
		allowingNulls = start(true);
		refusingNulls = start(false);
	}

	@AfterAll
	static void stopApplications() {
		if (refusingNulls != null) {
			refusingNulls.close();
		}
		if (allowingNulls != null) {
			allowingNulls.close();
		}
	}

	private static ConfigurableApplicationContext start(boolean allowNullValues) {
		List<String> properties = new ArrayList<>(TestApplications.properties(regions, "east"));
		properties.add("resilient-cache.allow-null-values=" + allowNullValues);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ContractApplication.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
		warmUp(context);
		return context;
	}

	/**
	 * One write and read before the contract runs: the first write of a fresh client opens its
	 * connections and loads the scripts, which on a busy 2-core machine can outlast the 500 ms
	 * budget (the write then completes in the background), while the contract is about a warm cache.
	 */
	private static void warmUp(ConfigurableApplicationContext context) {
		Cache cache = context.getBean(MultiRegionCacheManager.class).getCache("warm-up");
		AtomicInteger attempt = new AtomicInteger();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			// A fresh key each time: a key whose write was journaled is not read until it is replayed.
			String key = "k" + attempt.incrementAndGet();
			cache.put(key, "v");
			assertThat(cache.get(key)).isNotNull();
		});
	}

	@Override
	protected MultiRegionCache getCache() {
		return getCache(true);
	}

	@Override
	protected MultiRegionCache getCache(boolean allowNull) {
		ConfigurableApplicationContext context = allowNull ? allowingNulls : refusingNulls;
		return (MultiRegionCache) context.getBean(MultiRegionCacheManager.class).getCache(allowNull ? CACHE_NAME : CACHE_NAME_NO_NULL);
	}

	@Override
	protected Object getNativeCache() {
		return allowingNulls.getBean(Replicator.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ResilientCacheAutoConfiguration.class, ResilientCacheRecoveryAutoConfiguration.class,
			CircuitBreakerAutoConfiguration.class })
	static class ContractApplication {

	}

}
