package io.github.resilientcache.cache;

import org.springframework.util.Assert;

/**
 * Redis keys of cache entries: {@code <prefix>:<cache>::<key text>}. Cache names are checked so that
 * one cache's keys can never match another's pattern; the key text ({@link KeyText}) is one-to-one
 * with the key and binary-safe (CRLF, braces, glob characters and {@code ::} kept as is), since it is
 * never used as a pattern.
 */
final class CacheKeys {

	private static final String FORBIDDEN_IN_PREFIX = "*?[]\\{} \t\r\n";

	private static final String FORBIDDEN_IN_NAMES = FORBIDDEN_IN_PREFIX + ":";

	private final String prefix;

	private final String pattern;

	private final CacheProtection protection;

	/**
	 * Keys of one cache, in clear.
	 * @param keyPrefix the configured prefix
	 * @param cacheName the cache name
	 */
	CacheKeys(String keyPrefix, String cacheName) {
		this(keyPrefix, cacheName, CacheProtection.NONE);
	}

	/**
	 * Keys of one cache.
	 * @param keyPrefix the configured prefix
	 * @param cacheName the cache name
	 * @param protection whether key texts are hashed
	 */
	CacheKeys(String keyPrefix, String cacheName, CacheProtection protection) {
		checkName("Cache name", cacheName, FORBIDDEN_IN_NAMES);
		this.prefix = keyPrefix + ":" + cacheName + "::";
		this.pattern = this.prefix + "*";
		this.protection = protection;
	}

	/**
	 * Checks a cache name or key prefix.
	 * @param what what is checked, for the message
	 * @param name the name
	 * @param forbidden the characters it must not contain
	 * @throws IllegalArgumentException naming the problem and the fix
	 */
	static void checkName(String what, String name, String forbidden) {
		Assert.hasText(name, () -> what + " must not be empty");
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			Assert.isTrue(forbidden.indexOf(c) < 0, () -> what + " '" + name
					+ "' contains '" + c + "': use letters, digits, '-', '_' or '.' (glob, hash-tag, separator and blank characters are reserved)");
		}
	}

	/**
	 * Checks a configured key prefix.
	 * @param prefix the prefix
	 */
	static void checkPrefix(String prefix) {
		checkName("Key prefix", prefix, FORBIDDEN_IN_PREFIX);
	}

	/**
	 * The Redis key of a cache key.
	 * @param key the cache key, as produced by Spring's key generator
	 * @return the Redis key
	 * @throws IllegalArgumentException for a {@code null} key or a key whose text is not stable
	 */
	String redisKey(Object key) {
		return this.prefix + nearKey(key);
	}

	/**
	 * The key of a cache key in the near tier: its Redis key without the cache's prefix, i.e. the
	 * key text (hashed when keys are protected). For a string key in clear it is the key itself, so
	 * that a near hit allocates no key.
	 * @param key the cache key, as produced by Spring's key generator
	 * @return the near key
	 * @throws IllegalArgumentException for a {@code null} key or a key whose text is not stable
	 */
	String nearKey(Object key) {
		return this.protection.protectKey(keyText(key));
	}

	/**
	 * The Redis key of a near key.
	 * @param nearKey the near key
	 * @return the Redis key
	 */
	String redisKeyOf(String nearKey) {
		return this.prefix + nearKey;
	}

	/**
	 * The length of the prefix every Redis key of this cache starts with: the near key of a Redis
	 * key is what follows it.
	 * @return the length
	 */
	int prefixLength() {
		return this.prefix.length();
	}

	/**
	 * The glob pattern matching every key of this cache (the prefix holds no glob characters).
	 * @return the pattern
	 */
	String pattern() {
		return this.pattern;
	}

	/**
	 * The cache key part of a Redis key of this cache.
	 * @param redisKey the Redis key
	 * @return the key text
	 */
	String keyText(String redisKey) {
		return redisKey.substring(this.prefix.length());
	}

	private static String keyText(Object key) {
		Assert.notNull(key, "Cache key must not be null: use a key expression that never yields null");
		return KeyText.of(key);
	}

}
