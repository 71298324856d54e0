package io.github.resilientcache.autoconfigure;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.github.resilientcache.cache.CacheKeyring;
import io.github.resilientcache.cache.CacheSecrets;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The secrets of the caches from {@code resilient-cache.caches.<name>.encryption.*} and
 * {@code .key-protection.secret}, checked when built so that a bad key fails the start with the
 * property and the fix, and never its value.
 */
final class PropertiesCacheKeyring implements CacheKeyring {

	private static final String HIDDEN = "(hidden)";

	private final Map<String, CacheSecrets> secrets;

	private PropertiesCacheKeyring(Map<String, CacheSecrets> secrets) {
		this.secrets = secrets;
	}

	/**
	 * The keyring of the configured caches.
	 * @param caches the caches' properties
	 * @return the keyring
	 * @throws InvalidConfigurationPropertyValueException for a key that cannot be used
	 */
	static PropertiesCacheKeyring of(Map<String, ResilientCacheProperties.Cache> caches) {
		Map<String, CacheSecrets> secrets = new LinkedHashMap<>();
		caches.forEach((name, cache) -> {
			CacheSecrets cacheSecrets = secrets(name, cache);
			if (cacheSecrets != null) {
				secrets.put(name, cacheSecrets);
			}
		});
		return new PropertiesCacheKeyring(secrets);
	}

	private static @Nullable CacheSecrets secrets(String name, ResilientCacheProperties.Cache cache) {
		String prefix = "resilient-cache.caches." + name + ".";
		Map<String, SecretKey> keys = new LinkedHashMap<>();
		cache.getEncryption().getKeys().forEach((id, value) -> {
			String property = prefix + "encryption.keys." + id;
			byte[] bytes = base64(property, value, "an AES key of 256 bits, such as the output of: openssl rand -base64 32");
			if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
				throw invalid(property, "The key has " + (bytes.length * 8) + " bits: use an AES key of 128, 192 or 256 bits "
						+ "(openssl rand -base64 32).");
			}
			if (id.isEmpty() || id.length() > CacheSecrets.MAX_KEY_ID_LENGTH || !id.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
				throw invalid(property, "Key ids are 1 to " + CacheSecrets.MAX_KEY_ID_LENGTH + " printable ASCII characters, such as 2026-12.");
			}
			keys.put(id, new SecretKeySpec(bytes, "AES"));
		});
		String primary = cache.getEncryption().getPrimaryKey();
		if (primary != null && !keys.containsKey(primary)) {
			throw new InvalidConfigurationPropertyValueException(prefix + "encryption.primary-key", primary,
					"It is not one of the key ids of " + prefix + "encryption.keys " + keys.keySet() + ": add that key or name one of those.");
		}
		if (primary == null && !keys.isEmpty()) {
			List<String> ids = new ArrayList<>(keys.keySet());
			primary = ids.get(ids.size() - 1);
		}
		SecretKey keySecret = null;
		String secret = cache.getKeyProtection().getSecret();
		if (secret != null) {
			String property = prefix + "key-protection.secret";
			byte[] bytes = base64(property, secret, "a secret of at least 128 bits, such as the output of: openssl rand -base64 32");
			if (bytes.length < 16) {
				throw invalid(property, "The secret has " + (bytes.length * 8) + " bits: use at least 128 (openssl rand -base64 32).");
			}
			for (SecretKey key : keys.values()) {
				if (java.security.MessageDigest.isEqual(key.getEncoded(), bytes)) {
					throw invalid(property, "Use a secret distinct from the cache's encryption keys.");
				}
			}
			keySecret = new SecretKeySpec(bytes, "HmacSHA256");
		}
		return (keys.isEmpty() && keySecret == null) ? null : new CacheSecrets(keys, primary, keySecret);
	}

	private static byte[] base64(String property, String value, String expected) {
		try {
			return Base64.getDecoder().decode(value.trim());
		}
		catch (IllegalArgumentException ex) {
			throw invalid(property, "It is not base64: use " + expected + ".");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, String reason) {
		return new InvalidConfigurationPropertyValueException(property, HIDDEN, reason);
	}

	@Override
	public @Nullable CacheSecrets secrets(String cacheName) {
		return this.secrets.get(cacheName);
	}

}
