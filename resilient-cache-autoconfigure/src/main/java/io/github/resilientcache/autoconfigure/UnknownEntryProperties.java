package io.github.resilientcache.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Fails the start on a setting of a region or a cache that does not exist, such as
 * {@code resilient-cache.regions.east.adress}: Spring Boot ignores unknown keys of a map's entries,
 * which would silently drop the region (no failover) or the cache's settings. The message names the
 * key and the closest valid one; the value is never echoed (it may be a password).
 */
final class UnknownEntryProperties {

	private static final ConfigurationPropertyName REGIONS = ConfigurationPropertyName.of("resilient-cache.regions");

	private static final ConfigurationPropertyName CACHES = ConfigurationPropertyName.of("resilient-cache.caches");

	private UnknownEntryProperties() {
	}

	/**
	 * Checks every property source of the environment.
	 * @param environment the environment
	 * @throws InvalidConfigurationPropertyValueException for the first unknown setting
	 */
	static void check(Environment environment) {
		Set<String> regionSettings = settings(ResilientCacheProperties.Region.class, "");
		Set<String> cacheSettings = settings(ResilientCacheProperties.Cache.class, "");
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().forEach((name) -> {
					check(name, REGIONS, "a region", regionSettings);
					check(name, CACHES, "a cache", cacheSettings);
				});
			}
		}
	}

	private static void check(ConfigurationPropertyName name, ConfigurationPropertyName map, String entry, Set<String> valid) {
		int first = map.getNumberOfElements() + 1;
		if (!map.isAncestorOf(name) || name.getNumberOfElements() <= first) {
			return;
		}
		String setting = setting(name, first);
		if (!valid.contains(setting) && !inMap(setting, valid)) {
			String closest = closest(setting, valid);
			throw new InvalidConfigurationPropertyValueException(name.toString(), "(not shown)",
					"'" + setting + "' is not a setting of " + entry + ((closest != null) ? ". Did you mean '" + closest + "'?" : ".")
							+ " Settings of " + entry + ": " + String.join(", ", valid) + ".");
		}
	}

	/** Whether a setting is an entry of a map-valued setting (such as {@code encryption.keys.<id>}). */
	private static boolean inMap(String setting, Set<String> valid) {
		return valid.stream().anyMatch((candidate) -> candidate.endsWith(".*") && setting.startsWith(candidate.substring(0, candidate.length() - 1)));
	}

	/** The setting a property names within its entry, list indexes left out. */
	private static String setting(ConfigurationPropertyName name, int first) {
		StringBuilder setting = new StringBuilder();
		for (int i = first; i < name.getNumberOfElements(); i++) {
			if (!name.isNumericIndex(i)) {
				setting.append((setting.length() > 0) ? "." : "").append(name.getElement(i, ConfigurationPropertyName.Form.DASHED));
			}
		}
		return setting.toString();
	}

	/** The settings of an entry type, nested groups (such as {@code sentinel.*}) included. */
	static Set<String> settings(Class<?> type, String prefix) {
		Set<String> settings = new TreeSet<>();
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || "class".equals(property.getName())) {
				continue;
			}
			String name = prefix + DataObjectPropertyName.toDashedForm(property.getName());
			Class<?> propertyType = property.getPropertyType();
			if (propertyType.getDeclaringClass() == ResilientCacheProperties.class) {
				settings.addAll(settings(propertyType, name + "."));
			}
			else if (java.util.Map.class.isAssignableFrom(propertyType)) {
				// A map's keys are the user's own names: any key below it is valid.
				settings.add(name + ".*");
			}
			else {
				settings.add(name);
			}
		}
		return settings;
	}

	/** The valid setting closest to a misspelled one, if it is close enough to be a typo. */
	static @Nullable String closest(String setting, Set<String> valid) {
		return valid.stream()
			.filter((candidate) -> distance(setting, candidate) <= Math.max(2, candidate.length() / 3))
			.min(Comparator.comparingInt((candidate) -> distance(setting, candidate)))
			.orElse(null);
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
