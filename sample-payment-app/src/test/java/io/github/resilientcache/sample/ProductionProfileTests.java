package io.github.resilientcache.sample;

import io.github.resilientcache.sample.embedded.EmbeddedRedisRegions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code production} profile: no embedded servers, no demo controls, regions and database from
 * environment variables. The Redis addresses need no server here: the cache connects lazily, on
 * first use. The database is an H2 one standing in for PostgreSQL, given by URL as a real one would be.
 */
@SpringBootTest(properties = { "LOCAL_REGION=west", "EAST_REDIS_URL=redis://east.redis.example:6379",
		"WEST_REDIS_URL=rediss://west.redis.example:6380", "DATABASE_URL=jdbc:h2:mem:production-profile-tests",
		"DATABASE_USERNAME=payments" })
@ActiveProfiles("production")
class ProductionProfileTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private Environment environment;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void startsNoEmbeddedRedisAndNoDemo() {
		assertThat(this.context.getBeanProvider(EmbeddedRedisRegions.class).getIfAvailable()).isNull();
		assertThat(this.environment.getProperty("sample.embedded-redis.enabled", Boolean.class)).isFalse();
		assertThat(this.environment.matchesProfiles("demo")).isFalse();
	}

	@Test
	void exposesNoStreamNoHealthDetailsAndNoEndpointWriteOperations() {
		assertThat(this.environment.getProperty("resilient-cache.stream.enabled", Boolean.class, false)).isFalse();
		assertThat(this.environment.getProperty("management.endpoint.health.show-details")).isNull();
		assertThat(this.environment.getProperty("management.endpoints.web.exposure.include")).doesNotContain("resilientcache");
		assertThat(this.environment.getProperty("server.address")).isNull();
		assertThat(this.context.getBeanNamesForType(io.github.resilientcache.actuate.RegionEventStream.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(io.github.resilientcache.sample.demo.DemoRegionController.class)).isEmpty();
	}

	@Test
	void takesRegionsFromEnvironmentVariables() {
		assertThat(this.environment.getProperty("resilient-cache.local-region")).isEqualTo("west");
		assertThat(this.environment.getProperty("resilient-cache.regions.east.address")).isEqualTo("redis://east.redis.example:6379");
		assertThat(this.environment.getProperty("resilient-cache.regions.west.address")).isEqualTo("rediss://west.redis.example:6380");
	}

	@Test
	void takesTheDatabaseFromEnvironmentVariablesAndCreatesTheSchemaWithoutDemoData() {
		assertThat(this.environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:h2:mem:production-profile-tests");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM account").query(Long.class).single()).isZero();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM payment").query(Long.class).single()).isZero();
	}

}
