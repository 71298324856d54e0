package io.github.resilientcache.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.resilientcache.replication.ReplicationMode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata the build ships: every property has a description, and the settings of a region
 * and of a cache (values of maps, which the metadata format cannot list) are named with their
 * meaning in the hints of the maps' keys, so that they stay true when a setting is added.
 */
class ConfigurationMetadataTests {

	private final JsonNode metadata = read();

	@Test
	void everyPropertyHasADescription() {
		List<String> undescribed = new ArrayList<>();
		for (JsonNode property : this.metadata.get("properties")) {
			JsonNode description = property.get("description");
			if (description == null || description.asString().isBlank()) {
				undescribed.add(property.get("name").asString());
			}
		}
		assertThat(undescribed).isEmpty();
	}

	@Test
	void regionKeyHintNamesEverySettingOfARegion() {
		assertHintNames("resilient-cache.regions.keys", UnknownEntryProperties.settings(ResilientCacheProperties.Region.class, ""));
	}

	@Test
	void cacheKeyHintNamesEverySettingOfACache() {
		Set<String> settings = UnknownEntryProperties.settings(ResilientCacheProperties.Cache.class, "");
		assertThat(settings).contains("replication", "timeout", "ttl");
		assertHintNames("resilient-cache.caches.keys", settings);
	}

	@Test
	void replicationLevelsAreHintedWithTheirMeaning() {
		JsonNode hint = hint("resilient-cache.replication.mode");
		List<String> values = new ArrayList<>();
		hint.get("values").forEach((value) -> {
			values.add(value.get("value").asString());
			assertThat(value.get("description").asString()).isNotBlank();
		});
		assertThat(values).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(ReplicationMode.values()).map((mode) -> mode.name().toLowerCase(Locale.ROOT)).toList());
	}

	private void assertHintNames(String name, Set<String> settings) {
		String description = hint(name).get("values").get(0).get("description").asString();
		for (String setting : settings) {
			// A map-valued setting such as encryption.keys.* is named as encryption.keys.<id>.
			String named = setting.endsWith(".*") ? setting.substring(0, setting.length() - 2) : setting;
			assertThat(description).as(name + " names " + setting).containsPattern("(^|[ (,])" + java.util.regex.Pattern.quote(named) + "\\b");
		}
	}

	private JsonNode hint(String name) {
		for (JsonNode hint : this.metadata.get("hints")) {
			if (hint.get("name").asString().equals(name)) {
				return hint;
			}
		}
		throw new AssertionError("No hint " + name);
	}

	/** The metadata of this module, as generated and merged by the configuration processor. */
	private static JsonNode read() {
		try (InputStream in = ResilientCacheProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI().resolve(
				"META-INF/spring-configuration-metadata.json").toURL().openStream()) {
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException | java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
