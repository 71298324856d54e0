package io.github.resilientcache.actuate;

import java.util.List;

import io.github.resilientcache.autoconfigure.ResilientCacheProperties;
import io.github.resilientcache.autoconfigure.ResilientCacheSanitizingAutoConfiguration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Region passwords and address credentials are masked, in {@code configprops} too when values are
 * shown.
 */
class ResilientCacheSanitizingFunctionTests {

	private final ResilientCacheSanitizingFunction function = new ResilientCacheSanitizingFunction();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
				ResilientCacheSanitizingAutoConfiguration.class))
		.withUserConfiguration(PropertiesConfiguration.class)
		.withPropertyValues("management.endpoint.configprops.show-values=always", "management.endpoints.web.exposure.include=configprops");

	@Test
	void masksARegionPasswordInConfigpropsAndEnvForms() {
		assertThat(sanitize("resilient-cache.regions.east.password", "s3cret")).isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitize("RESILIENT_CACHE_REGIONS_EAST_PASSWORD", "s3cret")).isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@Test
	void masksCacheEncryptionKeysAndKeyHashingSecrets() {
		assertThat(sanitize("resilient-cache.caches.cards.encryption.keys.k1", "a2V5")).isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitize("resilient-cache.caches.cards.encryption.keys", java.util.Map.of("k1", "a2V5")))
			.isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitize("RESILIENT_CACHE_CACHES_CARDS_ENCRYPTION_KEYS_K1", "a2V5")).isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitize("resilient-cache.caches.cards.key-protection.secret", "c2VjcmV0")).isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitize("resilient-cache.caches.cards.encryption.primary-key", "k1")).isEqualTo("k1");
	}

	@Test
	void masksTheCredentialsOfAnAddressAndKeepsItsHost() {
		assertThat(sanitize("resilient-cache.regions.east.address", "redis://app:s3cret@redis-east:6379"))
			.isEqualTo("redis://******@redis-east:6379");
		assertThat(sanitize("spring.data.redis.url", "rediss://:s3cret@redis:6380/0")).isEqualTo("rediss://******@redis:6380/0");
	}

	@Test
	void masksPasswordsWhateverCharactersTheyHold() {
		for (String password : List.of("pa/ss", "p@ss", "p@ss@word", "pa:ss", "p%40ss", "p/a@s:s%", "pa ss@x", "p?a#s[s]")) {
			String address = "redis://user:" + password + "@host:6379";
			assertThat(sanitize("resilient-cache.regions.east.address", address)).as(address).isEqualTo("redis://******@host:6379");
			assertThat(sanitize("resilient-cache.regions.east.address", "rediss://:" + password + "@host:6379/0")).as(address)
				.isEqualTo("rediss://******@host:6379/0");
		}
		assertThat(sanitize("some.list", "redis://u:p@ss@h1:1,redis://h2:2,REDIS://v:q/w@h3:3"))
			.isEqualTo("redis://******@h1:1,redis://h2:2,REDIS://******@h3:3");
	}

	@Test
	void masksTheCredentialsOfEveryAddressInAList() {
		assertThat(sanitize("resilient-cache.regions.east.cluster-nodes", List.of("redis://a:s3cret@n1:7000", "redis://n2:7001")))
			.isEqualTo(List.of("redis://******@n1:7000", "redis://n2:7001"));
	}

	@Test
	void leavesOtherValuesAlone() {
		assertThat(sanitize("resilient-cache.regions.east.address", "redis://redis-east:6379")).isEqualTo("redis://redis-east:6379");
		assertThat(sanitize("resilient-cache.key-prefix", "rc")).isEqualTo("rc");
		assertThat(sanitize("server.port", 8080)).isEqualTo(8080);
	}

	@Test
	void masksThroughTheConfigpropsEndpointWhenValuesAreShown() {
		this.runner
			.withPropertyValues("resilient-cache.regions.east.address=redis://app:addr-s3cret@redis-east:6379",
					"resilient-cache.regions.east.password=pass-s3cret", "resilient-cache.regions.west.cluster-nodes=redis://b:list-s3cret@n1:7000",
					"resilient-cache.caches.cards.encryption.keys.k1=S3cretKeyS3cretKeyS3cretKeyS3cretKeyAAAAA=",
					"resilient-cache.caches.cards.key-protection.secret=S3cretHashS3cretHashAAAA")
			.run((context) -> {
				String json = JsonMapper.builder().build()
					.writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationPropertiesWithPrefix("resilient-cache"));
				assertThat(json).contains("redis-east:6379").contains("resilient-cache").doesNotContain("s3cret").doesNotContain("S3cret");
			});
	}

	private Object sanitize(String key, Object value) {
		return this.function.apply(new SanitizableData(null, key, value)).getValue();
	}

	/**
	 * Binds the starter's properties, as the application would.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ResilientCacheProperties.class)
	static class PropertiesConfiguration {

	}

}
