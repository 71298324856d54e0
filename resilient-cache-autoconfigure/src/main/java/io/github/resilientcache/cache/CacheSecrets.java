package io.github.resilientcache.cache;

import java.util.Map;

import javax.crypto.SecretKey;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The secrets of one cache: AES keys by key id for its values (new writes use the primary one,
 * entries written with any other still read), and an optional HMAC secret for its keys. Its
 * {@code toString()} names the key ids only, never key material.
 * @param valueKeys AES keys (128, 192 or 256 bits) by key id, empty for values in clear
 * @param primaryKeyId id of the key new writes use, {@code null} when values are in clear
 * @param keySecret HMAC-SHA256 secret that hashes the cache's keys, {@code null} for readable keys
 */
public record CacheSecrets(Map<String, SecretKey> valueKeys, @Nullable String primaryKeyId, @Nullable SecretKey keySecret) {

	/** Longest key id, in bytes: it is stored in every entry's header. */
	public static final int MAX_KEY_ID_LENGTH = 32;

	/**
	 * Checks the secrets.
	 * @param valueKeys AES keys by key id
	 * @param primaryKeyId id of the key new writes use
	 * @param keySecret HMAC secret of the keys
	 */
	public CacheSecrets {
		Assert.notNull(valueKeys, "'valueKeys' must not be null");
		Map<String, SecretKey> keys = Map.copyOf(valueKeys);
		Assert.isTrue(keys.isEmpty() == (primaryKeyId == null), "'primaryKeyId' must be given exactly when value keys are");
		Assert.isTrue(primaryKeyId == null || keys.containsKey(primaryKeyId),
				() -> "Primary key id '" + primaryKeyId + "' is not one of the key ids " + keys.keySet());
		for (Map.Entry<String, SecretKey> key : keys.entrySet()) {
			String id = key.getKey();
			Assert.isTrue(!id.isEmpty() && id.length() <= MAX_KEY_ID_LENGTH && id.chars().allMatch((c) -> c > 0x20 && c < 0x7f),
					() -> "Key id '" + id + "' must be 1 to " + MAX_KEY_ID_LENGTH + " printable ASCII characters");
			int bits = key.getValue().getEncoded().length * 8;
			Assert.isTrue(bits == 128 || bits == 192 || bits == 256, () -> "Key '" + id + "' has " + bits + " bits: use an AES key of 128, 192 or 256 bits");
		}
		Assert.isTrue(keySecret == null || keySecret.getEncoded().length >= 16, "The key hashing secret must have at least 128 bits");
		valueKeys = keys;
	}

	/**
	 * Whether values are encrypted.
	 * @return whether there is a primary key
	 */
	public boolean encryptsValues() {
		return this.primaryKeyId != null;
	}

	@Override
	public String toString() {
		return "CacheSecrets[valueKeys=" + this.valueKeys.keySet() + ", primaryKeyId=" + this.primaryKeyId + ", keySecret="
				+ ((this.keySecret != null) ? "******" : "none") + "]";
	}

}
