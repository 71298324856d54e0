package io.github.resilientcache.autoconfigure;

import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Unknown settings of regions and caches, on an environment alone (the start-up failures are in
 * {@link ResilientCacheAutoConfigurationTests}).
 */
class UnknownEntryPropertiesTests {

	@Test
	void settingsOfARegionIncludeNestedSentinelSettings() {
		assertThat(UnknownEntryProperties.settings(ResilientCacheProperties.Region.class, "")).contains("address", "cluster-nodes",
				"sentinel.master-name", "sentinel.nodes", "password", "connection-minimum-idle-size")
			.doesNotContain("sentinel", "class");
	}

	@Test
	void acceptsIndexedListSettingsAndRegionNamesInBrackets() {
		MockEnvironment environment = new MockEnvironment().withProperty("resilient-cache.regions.north.cluster-nodes[0]", "redis://a:1")
			.withProperty("resilient-cache.regions.south.sentinel.nodes[1]", "redis://b:1")
			.withProperty("resilient-cache.regions[eu.west].address", "redis://c:1")
			.withProperty("resilient-cache.caches.accounts.ttl", "5m");
		assertThatNoException().isThrownBy(() -> UnknownEntryProperties.check(environment));
	}

	@Test
	void ignoresPropertiesOutsideTheEntries() {
		MockEnvironment environment = new MockEnvironment().withProperty("resilient-cache.regionsx.a.b", "1")
			.withProperty("resilient-cache.local-region", "east");
		assertThatNoException().isThrownBy(() -> UnknownEntryProperties.check(environment));
	}

	@Test
	void failsOnACamelCaseMisspellingToo() {
		MockEnvironment environment = new MockEnvironment().withProperty("resilient-cache.regions.east.conectTimeout", "1s");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(() -> UnknownEntryProperties.check(environment))
			.withMessageContaining("Did you mean 'connect-timeout'?");
	}

	@Test
	void suggestsNothingForASettingFarFromEveryValidOne() {
		assertThat(UnknownEntryProperties.closest("colour", Set.of("address", "ttl"))).isNull();
	}

}
