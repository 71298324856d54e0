package io.github.resilientcache.cache;

import org.jspecify.annotations.Nullable;

/**
 * Where the secrets of each cache come from. The default reads
 * {@code resilient-cache.caches.<name>.encryption.*} and {@code .key-protection.*}; define a bean of
 * this type to take them from a vault or KMS instead. Called once per cache, when the cache is
 * created; a key is never logged.
 */
@FunctionalInterface
public interface CacheKeyring {

	/**
	 * The secrets of a cache.
	 * @param cacheName the cache name
	 * @return its secrets, {@code null} for a cache stored in clear
	 */
	@Nullable CacheSecrets secrets(String cacheName);

}
