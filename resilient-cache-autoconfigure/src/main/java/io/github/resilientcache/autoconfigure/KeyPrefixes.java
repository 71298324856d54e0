package io.github.resilientcache.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The key prefix an application uses: {@code resilient-cache.key-prefix} when set, else its
 * {@code spring.application.name} (characters a prefix may not hold replaced by '-'), else
 * {@code rc} with a warning: applications that share a Redis must not share a prefix.
 */
final class KeyPrefixes {

	static final String FALLBACK = "rc";

	private static final Log logger = LogFactory.getLog(KeyPrefixes.class);

	private KeyPrefixes() {
	}

	static String resolve(@Nullable String configured, @Nullable String applicationName) {
		if (configured != null) {
			return configured;
		}
		String fromName = (applicationName != null) ? applicationName.trim().replaceAll("[^A-Za-z0-9_.-]", "-") : "";
		if (!fromName.isEmpty()) {
			return fromName;
		}
		logger.warn("Neither resilient-cache.key-prefix nor spring.application.name is set: using the key prefix '" + FALLBACK
				+ "'. Applications sharing a Redis must use different prefixes: set spring.application.name.");
		return FALLBACK;
	}

}
