package io.github.resilientcache.autoconfigure;

import java.util.Locale;

import io.github.resilientcache.replication.ReplicationMode;

import org.springframework.core.convert.converter.Converter;

/**
 * Reads a replication level from configuration as leniently as Spring Boot reads any enum (case,
 * dashes and underscores ignored), but fails with a message that names the valid levels, rather
 * than "No enum constant", for a misspelled one such as {@code quorom}.
 */
final class ReplicationModeConverter implements Converter<String, ReplicationMode> {

	@Override
	public ReplicationMode convert(String source) {
		String level = source.trim().replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
		for (ReplicationMode mode : ReplicationMode.values()) {
			if (mode.name().equals(level)) {
				return mode;
			}
		}
		throw new IllegalArgumentException("'" + source + "' is not a replication level. Use async (the call waits for one region), "
				+ "quorum (for a majority of the regions) or all (for every region that takes writes); sync is the same as all.");
	}

}
