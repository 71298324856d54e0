package io.github.resilientcache.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.cache.NearCacheSettings;
import io.github.resilientcache.cache.NearInvalidations;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import org.jspecify.annotations.Nullable;

/**
 * The near caches of the configured caches that enable one. When none does, nothing is set up: no
 * subscription, no heartbeat, no PUBLISH in any write script. When some do, every region announces
 * changes of those caches' keys only (writes of other caches cost the same as without near caches),
 * and one {@link NearInvalidations} listens in every region.
 */
final class NearCacheSetup implements AutoCloseable {

	private final Set<String> caches = new LinkedHashSet<>();

	private final ResilientCacheProperties properties;

	private final @Nullable NearInvalidations invalidations;

	NearCacheSetup(Regions regions, ResilientCacheProperties properties) {
		this.properties = properties;
		properties.getCaches().forEach((name, cache) -> {
			if (cache.getNearCache().isEnabled()) {
				this.caches.add(name);
			}
		});
		if (this.caches.isEmpty()) {
			this.invalidations = null;
			return;
		}
		KeySpace keys = regions.keys();
		for (Region region : regions.all()) {
			region.direct().announceChanges(keys.nearChannel(), (key) -> {
				String cache = keys.cacheOf(key);
				return cache != null && this.caches.contains(cache);
			});
		}
		this.invalidations = new NearInvalidations(regions, properties.getNearCache().getHeartbeatInterval(), InstanceId.create());
		this.invalidations.start();
	}

	/**
	 * Puts the near tiers in front of the caches that enable one.
	 * @param manager the cache manager, before its first cache is created
	 */
	void apply(MultiRegionCacheManager manager) {
		if (this.invalidations != null) {
			manager.setNearCaches(this.invalidations, this::settings);
		}
	}

	private @Nullable NearCacheSettings settings(String name) {
		if (!this.caches.contains(name)) {
			return null;
		}
		ResilientCacheProperties.NearCache defaults = this.properties.getNearCache();
		ResilientCacheProperties.CacheNearCache near = this.properties.getCaches().get(name).getNearCache();
		long maxSize = (near.getMaxSize() != null) ? near.getMaxSize() : defaults.getMaxSize();
		Duration maxStaleness = (near.getMaxStaleness() != null) ? near.getMaxStaleness() : defaults.getMaxStaleness();
		return new NearCacheSettings(maxSize, maxStaleness);
	}

	@Override
	public void close() {
		if (this.invalidations != null) {
			this.invalidations.close();
		}
	}

}
