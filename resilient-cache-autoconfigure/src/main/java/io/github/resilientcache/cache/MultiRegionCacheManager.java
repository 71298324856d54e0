package io.github.resilientcache.cache;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.Replicator;
import io.github.resilientcache.routing.ReadRouter;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.util.Assert;

/**
 * {@link CacheManager} of multi-region caches. Caches are created on first use, each with the
 * settings of its name (its own ttl, else the default).
 */
public class MultiRegionCacheManager implements CacheManager {

	private final Map<String, MultiRegionCache> caches = new ConcurrentHashMap<>();

	private final Regions regions;

	private final ReadRouter router;

	private final Replicator replicator;

	private final HybridLogicalClock clock;

	private final ValueCodec codec;

	private final Function<String, CacheSettings> settings;

	/**
	 * Creates the manager.
	 * @param regions the regions
	 * @param replicator the write path
	 * @param codec the value codec
	 * @param settings the settings of each cache name
	 */
	public MultiRegionCacheManager(Regions regions, Replicator replicator, ValueCodec codec, Function<String, CacheSettings> settings) {
		Assert.notNull(regions, "'regions' must not be null");
		Assert.notNull(replicator, "'replicator' must not be null");
		Assert.notNull(codec, "'codec' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.regions = regions;
		this.router = new ReadRouter(regions, replicator.journal());
		this.replicator = replicator;
		this.clock = new HybridLogicalClock();
		this.codec = codec;
		this.settings = settings;
	}

	@Override
	public @Nullable Cache getCache(String name) {
		return this.caches.computeIfAbsent(name,
				(cacheName) -> new MultiRegionCache(cacheName, this.settings.apply(cacheName), this.router, this.replicator, this.clock, this.codec));
	}

	@Override
	public Collection<String> getCacheNames() {
		return Collections.unmodifiableSet(this.caches.keySet());
	}

	/**
	 * Counters of a cache, {@code null} if it was never used.
	 * @param name the cache name
	 * @return its statistics
	 */
	public @Nullable CacheStatistics getStatistics(String name) {
		MultiRegionCache cache = this.caches.get(name);
		return (cache != null) ? cache.statistics() : null;
	}

	/**
	 * Glob pattern of the Redis keys of a cache, for the reconciliation of whole caches.
	 * @param name the cache name
	 * @param keyPrefix the key prefix
	 * @return the pattern
	 */
	public static String keyPattern(String keyPrefix, String name) {
		return new CacheKeys(keyPrefix, name).pattern();
	}

	public Regions getRegions() {
		return this.regions;
	}

	public HybridLogicalClock getClock() {
		return this.clock;
	}

}
