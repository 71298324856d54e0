package io.github.resilientcache.actuate;

import io.github.resilientcache.cache.CacheStatistics;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.cache.NearCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.cache.Cache;
import org.springframework.util.Assert;

/**
 * Spring Boot's standard cache meters ({@code cache.gets} by result, {@code cache.puts},
 * {@code cache.evictions}, tags {@code cache} and {@code cache.manager}) for the caches of a
 * {@link MultiRegionCacheManager}, so that dashboards built on them work unchanged. They are totals
 * over the regions, read from the same counters as the {@code resilient.cache.*} meters: a read no
 * region answered counts as a miss, a near-tier hit counts as a hit (it is one, for the caller). There is no {@code cache.size}: a region's size is not known
 * without scanning it.
 */
public final class ResilientCacheMeterBinderProvider implements CacheMeterBinderProvider<Cache> {

	private final MultiRegionCacheManager cacheManager;

	/**
	 * Creates the provider.
	 * @param cacheManager the manager whose caches it binds
	 */
	public ResilientCacheMeterBinderProvider(MultiRegionCacheManager cacheManager) {
		Assert.notNull(cacheManager, "'cacheManager' must not be null");
		this.cacheManager = cacheManager;
	}

	@Override
	public @Nullable MeterBinder getMeterBinder(Cache cache, Iterable<Tag> tags) {
		// Only caches of this manager: another cache manager's cache may have the same name.
		if (this.cacheManager.getCacheNames().contains(cache.getName()) && this.cacheManager.getCache(cache.getName()) == cache) {
			CacheStatistics statistics = this.cacheManager.getStatistics(cache.getName());
			return (statistics != null) ? new StandardCacheMeters(cache, statistics, this.cacheManager.getNearCache(cache.getName()), tags) : null;
		}
		return null;
	}

	/**
	 * Micrometer's standard cache binder over a cache's statistics.
	 */
	private static final class StandardCacheMeters extends CacheMeterBinder<Cache> {

		private final CacheStatistics statistics;

		private final @Nullable NearCache near;

		StandardCacheMeters(Cache cache, CacheStatistics statistics, @Nullable NearCache near, Iterable<Tag> tags) {
			super(cache, cache.getName(), tags);
			this.statistics = statistics;
			this.near = near;
		}

		@Override
		protected @Nullable Long size() {
			return null;
		}

		@Override
		protected long hitCount() {
			// A near miss reads a region, which counts it there: near hits are the only reads to add.
			return this.statistics.totalHits() + ((this.near != null) ? this.near.hits() : 0);
		}

		@Override
		protected Long missCount() {
			return this.statistics.totalMisses();
		}

		@Override
		protected Long evictionCount() {
			return this.statistics.totalEvictions();
		}

		@Override
		protected long putCount() {
			return this.statistics.totalPuts();
		}

		@Override
		protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
			// The implementation's own meters are resilient.cache.*, bound by ResilientCacheMetrics.
		}

	}

}
