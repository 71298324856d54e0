package io.github.resilientcache.actuate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks region passwords, cache encryption keys and key hashing secrets, and the credentials of
 * Redis addresses in {@code /actuator/configprops} and {@code /actuator/env}, even when values are
 * shown ({@code show-values=always}): a region's password is masked whole, an address such as
 * {@code redis://user:secret@host:6379} keeps its host and loses its credentials,
 * {@code redis://******@host:6379}, whatever characters the password holds (see
 * {@link CredentialMasking}).
 */
public final class ResilientCacheSanitizingFunction implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		Object value = data.getValue();
		if (value == null) {
			return data;
		}
		if (isRegionPassword(data.getLowerCaseKey()) || isCacheSecret(data.getLowerCaseKey())) {
			return data.withSanitizedValue();
		}
		if (value instanceof CharSequence text) {
			String masked = mask(text.toString());
			return masked.equals(text.toString()) ? data : data.withValue(masked);
		}
		if (value instanceof Collection<?> values && values.stream().anyMatch((item) -> item instanceof CharSequence)) {
			List<Object> masked = new ArrayList<>(values.size());
			values.forEach((item) -> masked.add((item instanceof CharSequence text) ? mask(text.toString()) : item));
			return data.withValue(masked);
		}
		return data;
	}

	/**
	 * Whether a key is a region's password, in the forms configprops and env show it:
	 * {@code resilient-cache.regions.east.password} or {@code RESILIENT_CACHE_REGIONS_EAST_PASSWORD}.
	 */
	private static boolean isRegionPassword(String lowerCaseKey) {
		String key = lowerCaseKey.replace('_', '.').replace('-', '.');
		return (key.startsWith("resilient.cache.regions.") && key.endsWith("password")) || key.equals("resilient.cache.coordination.secret");
	}

	/**
	 * Whether a key is a cache's encryption key (or the map of them) or its key hashing secret,
	 * in either form: {@code resilient-cache.caches.cards.encryption.keys.k1} or
	 * {@code RESILIENT_CACHE_CACHES_CARDS_KEY_PROTECTION_SECRET}.
	 */
	private static boolean isCacheSecret(String lowerCaseKey) {
		String key = lowerCaseKey.replace('_', '.').replace('-', '.');
		return key.startsWith("resilient.cache.caches.") && (key.contains(".encryption.keys") || key.endsWith(".secret"));
	}

	/**
	 * The text with the credentials of every Redis address in it masked.
	 * @param text the text
	 * @return the masked text
	 */
	static String mask(String text) {
		return CredentialMasking.mask(text);
	}

}
