package io.github.resilientcache.benchmarks;

import java.net.URI;
import java.time.Duration;

import io.github.resilientcache.test.EmbeddedRedis;
import io.github.resilientcache.test.RespClient;

/**
 * The two Redis servers of a benchmark run ("east", the local region, and "west"). They are started
 * once by the process that runs the benchmarks and handed to JMH's forked JVMs as system
 * properties, so that every cache manager is measured against the same servers.
 * @param east address of the local region's server
 * @param west address of the other region's server
 */
record RedisServers(String east, String west) {

	// Not the names of the applications' properties: system properties would override those.
	static final String EAST = "benchmark.servers.east";

	static final String WEST = "benchmark.servers.west";

	static RedisServers fromSystemProperties() {
		String east = System.getProperty(EAST);
		String west = System.getProperty(WEST);
		if (east == null || west == null) {
			throw new IllegalStateException("No Redis servers: run the benchmarks through Benchmarks, which starts them");
		}
		return new RedisServers(east, west);
	}

	static RedisServers of(EmbeddedRedis east, EmbeddedRedis west) {
		return new RedisServers(east.address(), west.address());
	}

	String[] jvmArgs() {
		return new String[] { "-D" + EAST + "=" + this.east, "-D" + WEST + "=" + this.west };
	}

	void flushAll() {
		for (String address : new String[] { this.east, this.west }) {
			URI uri = URI.create(address);
			try (RespClient client = RespClient.connect(uri.getHost(), uri.getPort(), Duration.ofSeconds(5))) {
				client.command("FLUSHALL");
			}
		}
	}

	void publish() {
		System.setProperty(EAST, this.east);
		System.setProperty(WEST, this.west);
	}

}
