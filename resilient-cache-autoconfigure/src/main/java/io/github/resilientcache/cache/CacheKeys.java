package io.github.resilientcache.cache;

import java.util.Date;
import java.util.UUID;

import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

/**
 * Redis keys of cache entries: {@code <prefix>:<cache>::<key>}. Cache names are checked so that one
 * cache's keys can never match another's pattern; the key part is binary-safe and taken as is
 * (CRLF, braces, glob characters and {@code ::} included), since it is never used as a pattern.
 */
final class CacheKeys {

	private static final String FORBIDDEN_IN_PREFIX = "*?[]\\{} \t\r\n";

	private static final String FORBIDDEN_IN_NAMES = FORBIDDEN_IN_PREFIX + ":";

	private final String prefix;

	private final String pattern;

	/**
	 * Keys of one cache.
	 * @param keyPrefix the configured prefix
	 * @param cacheName the cache name
	 */
	CacheKeys(String keyPrefix, String cacheName) {
		checkName("Cache name", cacheName, FORBIDDEN_IN_NAMES);
		this.prefix = keyPrefix + ":" + cacheName + "::";
		this.pattern = this.prefix + "*";
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
		return this.prefix + keyText(key);
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
		if (key instanceof String string) {
			return string;
		}
		if (key instanceof Number || key instanceof Boolean || key instanceof Character || key instanceof UUID
				|| key instanceof Enum<?> || key instanceof java.time.temporal.TemporalAccessor || key instanceof Date) {
			return key.toString();
		}
		Assert.isTrue(overridesToString(key.getClass()), () -> "Cache key of type " + key.getClass().getName()
				+ " has no stable text: override toString() (a record does) or use a key expression such as key = \"#id\"");
		return key.toString();
	}

	private static boolean overridesToString(Class<?> type) {
		return ReflectionUtils.findMethod(type, "toString").getDeclaringClass() != Object.class;
	}

}
