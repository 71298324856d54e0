package io.github.resilientcache.benchmarks;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.test.EmbeddedRedis;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Clients and regions over embedded Redis servers, configured like the starter's (script cache on).
 */
final class BenchmarkRegions {

	private BenchmarkRegions() {
	}

	static RedissonClient client(EmbeddedRedis server) {
		Config config = new Config();
		config.setUseScriptCache(true);
		config.useSingleServer().setAddress(server.address()).setConnectionMinimumIdleSize(8).setConnectionPoolSize(64).setTimeout(2000);
		return Redisson.create(config);
	}

	static Region region(String name, boolean local, RedissonClient client) {
		return new Region(name, local, new RegionStore(client, () -> Long.MAX_VALUE), CircuitBreaker.ofDefaults("bench-" + name), Duration.ofSeconds(5));
	}

}
