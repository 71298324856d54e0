package io.github.resilientcache.cache;

import java.util.List;

import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys of {@code @Cacheable} methods with several parameters, against a real Redis region: keys
 * whose {@code toString()} look alike stay apart, and long keys are stored under their digest.
 */
class CompositeKeysTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east");

	private final ApplicationContextRunner contextRunner = TestApplications.runner(regions, "east")
		.withUserConfiguration(NamesConfiguration.class);

	@Test
	void parametersWhoseSimpleKeyTextsCollideAreCachedApart() {
		this.contextRunner.run((context) -> {
			Names names = context.getBean(Names.class);
			assertThat(names.join("a, b", "c")).isEqualTo("a, b|c");
			assertThat(names.join("a", "b, c")).isEqualTo("a|b, c");
			assertThat(names.join("a, b", "c")).isEqualTo("a, b|c");
			assertThat(names.join("a", "b, c")).isEqualTo("a|b, c");
			assertThat(names.calls()).isEqualTo(2);
			assertThat(keys()).contains("rc:names::~[4:a, b,1:c]", "rc:names::~[1:a,4:b, c]");
		});
	}

	@Test
	void longKeysAreStoredUnderTheirDigestAndStillServed() {
		this.contextRunner.run((context) -> {
			Names names = context.getBean(Names.class);
			String longPart = "x".repeat(1000);
			assertThat(names.join(longPart, "y")).isEqualTo(longPart + "|y");
			assertThat(names.join(longPart, "y")).isEqualTo(longPart + "|y");
			assertThat(names.calls()).isOne();
			assertThat(keys()).singleElement().asString().startsWith("rc:names::~sha256:").hasSizeLessThan(100);
		});
	}

	@SuppressWarnings("unchecked")
	private static List<Object> keys() {
		return ((List<Object>) regions.get("east").command("KEYS", "rc:names::*")).stream()
			.map((key) -> (key instanceof byte[] bytes) ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : key)
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class NamesConfiguration {

		@Bean
		Names names() {
			return new Names();
		}

	}

	static class Names {

		private int calls;

		public int calls() {
			return this.calls;
		}

		@Cacheable("names")
		public String join(String first, String second) {
			this.calls++;
			return first + "|" + second;
		}

	}

}
