package io.github.resilientcache.actuate;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.github.resilientcache.cache.CacheStatistics;
import io.github.resilientcache.replication.ReplicationMode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Binds the meters of one cache to a registry: function counters over its statistics, so that the
 * cache's hot path only increments its own adders. The meters hold the statistics weakly; the
 * cache manager holds them for the application's life.
 */
final class CacheMeters {

	private CacheMeters() {
	}

	static void bind(MeterRegistry registry, String cache, CacheStatistics statistics) {
		Tags cacheTags = Tags.of(ResilientCacheMeters.Tag.CACHE.asString(), cache);
		List<String> regions = statistics.regionNames();
		for (int i = 0; i < regions.size(); i++) {
			int index = i;
			Tags tags = cacheTags.and(ResilientCacheMeters.Tag.REGION.asString(), regions.get(i));
			String result = ResilientCacheMeters.Tag.RESULT.asString();
			counter(registry, ResilientCacheMeters.CACHE_GETS, tags.and(result, "hit"), statistics, (s) -> s.hits(index));
			counter(registry, ResilientCacheMeters.CACHE_GETS, tags.and(result, "miss"), statistics, (s) -> s.misses(index));
			counter(registry, ResilientCacheMeters.CACHE_PUTS, tags, statistics, (s) -> s.puts(index));
			counter(registry, ResilientCacheMeters.CACHE_EVICTIONS, tags, statistics, (s) -> s.evictions(index));
			counter(registry, ResilientCacheMeters.CACHE_POISONED, tags, statistics, (s) -> s.poisoned(index));
		}
		counter(registry, ResilientCacheMeters.CACHE_FAILOVERS, cacheTags, statistics, CacheStatistics::failovers);
		counter(registry, ResilientCacheMeters.CACHE_UNAVAILABLE, cacheTags, statistics, CacheStatistics::unavailable);
		counter(registry, ResilientCacheMeters.CACHE_NOT_CACHED, cacheTags, statistics, CacheStatistics::notCached);
		if (statistics.replication() != ReplicationMode.ASYNC) {
			// Async caches wait for no acknowledgement: an always-zero series would only suggest otherwise.
			Tags levelTags = cacheTags.and(ResilientCacheMeters.Tag.LEVEL.asString(), statistics.replication().name().toLowerCase(Locale.ROOT));
			String outcome = ResilientCacheMeters.Tag.OUTCOME.asString();
			counter(registry, ResilientCacheMeters.REPLICATION_ACKNOWLEDGEMENTS, levelTags.and(outcome, "met"), statistics,
					CacheStatistics::acknowledged);
			counter(registry, ResilientCacheMeters.REPLICATION_ACKNOWLEDGEMENTS, levelTags.and(outcome, "shortfall"), statistics,
					CacheStatistics::shortfalls);
		}
	}

	static <T> void counter(MeterRegistry registry, ResilientCacheMeters meter, Tags tags, T state, ToDoubleFunction<T> count) {
		FunctionCounter.builder(meter.getName(), state, count).tags(tags).description(meter.getDescription()).register(registry);
	}

}
