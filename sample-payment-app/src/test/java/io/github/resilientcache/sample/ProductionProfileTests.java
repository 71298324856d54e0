package io.github.resilientcache.sample;

import io.github.resilientcache.sample.embedded.EmbeddedRedisRegions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code production} profile: no embedded servers, regions from environment variables. The
 * addresses need no server here: the cache connects lazily, on first use.
 */
@SpringBootTest(properties = { "LOCAL_REGION=west", "EAST_REDIS_URL=redis://east.redis.example:6379",
		"WEST_REDIS_URL=rediss://west.redis.example:6380" })
@ActiveProfiles("production")
class ProductionProfileTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private Environment environment;

	@Test
	void startsNoEmbeddedRedis() {
		assertThat(this.context.getBeanProvider(EmbeddedRedisRegions.class).getIfAvailable()).isNull();
		assertThat(this.environment.getProperty("sample.embedded-redis.enabled", Boolean.class)).isFalse();
	}

	@Test
	void takesRegionsFromEnvironmentVariables() {
		assertThat(this.environment.getProperty("resilient-cache.local-region")).isEqualTo("west");
		assertThat(this.environment.getProperty("resilient-cache.regions.east.address")).isEqualTo("redis://east.redis.example:6379");
		assertThat(this.environment.getProperty("resilient-cache.regions.west.address")).isEqualTo("rediss://west.redis.example:6380");
	}

}
