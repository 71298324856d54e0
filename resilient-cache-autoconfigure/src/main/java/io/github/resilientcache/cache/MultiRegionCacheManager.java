package io.github.resilientcache.cache;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.Replicator;
import io.github.resilientcache.routing.ReadRouter;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.util.Assert;

/**
 * {@link CacheManager} of multi-region caches. Caches are created on first use, each with the
 * settings of its name (its own ttl, else the default).
 */
public class MultiRegionCacheManager implements CacheManager {

	private static final java.time.Duration DEFAULT_MAX_DRIFT = java.time.Duration.ofSeconds(5);

	private final Map<String, MultiRegionCache> caches = new ConcurrentHashMap<>();

	/** The caches as handed out: wrapped for observation when there is an observation registry. */
	private final Map<String, Cache> exposed = new ConcurrentHashMap<>();

	private final @Nullable ObservationRegistry observations;

	private final Regions regions;

	private final ReadRouter router;

	private final Replicator replicator;

	private final HybridLogicalClock clock;

	private final ValueCodec codec;

	private final Function<String, CacheSettings> settings;

	private final CacheOperationTimer timer;

	private final List<Consumer<? super String>> cacheCreatedListeners = new CopyOnWriteArrayList<>();

	private volatile Function<String, CacheProtection> protections = (name) -> CacheProtection.NONE;

	private volatile @Nullable NearInvalidations nearInvalidations;

	private volatile Function<String, @Nullable NearCacheSettings> nearSettings = (name) -> null;

	/**
	 * Creates the manager.
	 * @param regions the regions
	 * @param replicator the write path
	 * @param codec the value codec
	 * @param settings the settings of each cache name
	 */
	public MultiRegionCacheManager(Regions regions, Replicator replicator, ValueCodec codec, Function<String, CacheSettings> settings) {
		this(regions, replicator, codec, settings, CacheOperationTimer.NONE, new HybridLogicalClock(DEFAULT_MAX_DRIFT));
	}

	/**
	 * Creates the manager.
	 * @param regions the regions
	 * @param replicator the write path
	 * @param codec the value codec
	 * @param settings the settings of each cache name
	 * @param timer told how long each operation took
	 * @param clock the clock that versions every write
	 */
	public MultiRegionCacheManager(Regions regions, Replicator replicator, ValueCodec codec, Function<String, CacheSettings> settings,
			CacheOperationTimer timer, HybridLogicalClock clock) {
		this(regions, replicator, codec, settings, timer, clock, ObservationRegistry.NOOP);
	}

	/**
	 * Creates the manager.
	 * @param regions the regions
	 * @param replicator the write path
	 * @param codec the value codec
	 * @param settings the settings of each cache name
	 * @param timer told how long each operation took
	 * @param clock the clock that versions every write
	 * @param observations where each cache operation is observed; caches are not wrapped when it is
	 * a no-op registry
	 */
	public MultiRegionCacheManager(Regions regions, Replicator replicator, ValueCodec codec, Function<String, CacheSettings> settings,
			CacheOperationTimer timer, HybridLogicalClock clock, ObservationRegistry observations) {
		Assert.notNull(regions, "'regions' must not be null");
		Assert.notNull(replicator, "'replicator' must not be null");
		Assert.notNull(codec, "'codec' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(timer, "'timer' must not be null");
		Assert.notNull(observations, "'observations' must not be null");
		this.regions = regions;
		this.router = new ReadRouter(regions, replicator.journal());
		this.replicator = replicator;
		this.clock = clock;
		this.codec = codec;
		this.settings = settings;
		this.observations = observations.isNoop() ? null : observations;
		this.timer = (this.observations == null) ? timer : (cache, operation, region, nanos) -> {
			ObservedCache.served(region);
			timer.record(cache, operation, region, nanos);
		};
	}

	@Override
	public @Nullable Cache getCache(String name) {
		Cache cache = this.exposed.get(name);
		if (cache != null) {
			return cache;
		}
		CacheSettings settings = this.settings.apply(name).withProtection(this.protections.apply(name));
		MultiRegionCache created = new MultiRegionCache(name, settings, this.router, this.replicator, this.clock,
				settings.protection().codec(this.codec), this.timer);
		NearInvalidations invalidations = this.nearInvalidations;
		NearCacheSettings near = (invalidations != null) ? this.nearSettings.apply(name) : null;
		if (invalidations != null && near != null) {
			List<io.github.resilientcache.region.Region> order = this.router.order();
			created.useNearCache(new NearCache(name, near, invalidations, (index) -> order.get(index).isServing(), created.keyPrefixLength()));
		}
		// Exposed first: a listener told of the cache below finds it in both maps.
		Cache exposedCache = (this.observations != null) ? new ObservedCache(created, this.observations) : created;
		cache = this.exposed.putIfAbsent(name, exposedCache);
		if (cache != null) {
			return cache;
		}
		this.caches.put(name, created);
		NearCache nearCache = created.nearCache();
		if (invalidations != null && nearCache != null) {
			invalidations.register(nearCache);
		}
		// Outside any lock of the map: a listener may read the manager (its statistics) freely.
		this.cacheCreatedListeners.forEach((listener) -> listener.accept(name));
		return exposedCache;
	}

	/**
	 * Sets how each cache protects its values and keys, before the first cache is created (caches
	 * already created keep theirs).
	 * @param protections the protection of each cache name
	 */
	public void setProtections(Function<String, CacheProtection> protections) {
		Assert.notNull(protections, "'protections' must not be null");
		this.protections = protections;
	}

	/**
	 * Puts a near tier in front of the caches that have near-cache settings, before the first cache
	 * is created (caches already created keep theirs).
	 * @param invalidations the instance's listener of announcements
	 * @param settings the near-cache settings of each cache name, {@code null} for none
	 */
	public void setNearCaches(NearInvalidations invalidations, Function<String, @Nullable NearCacheSettings> settings) {
		Assert.notNull(invalidations, "'invalidations' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.nearSettings = settings;
		this.nearInvalidations = invalidations;
	}

	/**
	 * The listener of near-cache announcements, {@code null} when no cache keeps a near tier.
	 * @return the listener
	 */
	public @Nullable NearInvalidations getNearInvalidations() {
		return this.nearInvalidations;
	}

	/**
	 * The near tier of a cache, {@code null} if it keeps none or was never used.
	 * @param name the cache name
	 * @return its near tier
	 */
	public @Nullable NearCache getNearCache(String name) {
		MultiRegionCache cache = this.caches.get(name);
		return (cache != null) ? cache.nearCache() : null;
	}

	/**
	 * Registers a listener told the name of each cache when it is created (caches are created on
	 * first use), e.g. to bind its meters.
	 * @param listener the listener, called on the thread that first used the cache
	 */
	public void addCacheCreatedListener(Consumer<? super String> listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.cacheCreatedListeners.add(listener);
	}

	@Override
	public Collection<String> getCacheNames() {
		return Collections.unmodifiableSet(this.exposed.keySet());
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
	 * Settings of a cache, {@code null} if it was never used.
	 * @param name the cache name
	 * @return its settings: time to live, budget, replication level...
	 */
	public @Nullable CacheSettings getSettings(String name) {
		MultiRegionCache cache = this.caches.get(name);
		return (cache != null) ? cache.settings() : null;
	}

	public Regions getRegions() {
		return this.regions;
	}

}
