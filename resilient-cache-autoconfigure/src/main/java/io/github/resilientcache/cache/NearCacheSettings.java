package io.github.resilientcache.cache;

import java.time.Duration;

/**
 * Settings of one cache's near tier.
 * @param maxSize most entries held in memory
 * @param maxStaleness longest time an entry is served after it was read from a region, whatever
 * else happens
 */
public record NearCacheSettings(long maxSize, Duration maxStaleness) {

}
