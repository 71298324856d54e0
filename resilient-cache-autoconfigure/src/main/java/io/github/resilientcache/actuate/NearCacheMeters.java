package io.github.resilientcache.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.cache.NearCache;
import io.github.resilientcache.cache.NearFlushCause;
import io.github.resilientcache.cache.NearInvalidations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Binds the meters of the near tiers: function counters and gauges over each tier's own counters
 * (nothing on the hit path but a {@code LongAdder}), and the invalidation lag as a timer with a
 * percentile histogram, one per cache and announcing region.
 */
final class NearCacheMeters {

	private NearCacheMeters() {
	}

	static void bind(MeterRegistry registry, NearCache near) {
		Tags tags = Tags.of(ResilientCacheMeters.Tag.CACHE.asString(), near.name());
		String result = ResilientCacheMeters.Tag.RESULT.asString();
		CacheMeters.counter(registry, ResilientCacheMeters.NEAR_GETS, tags.and(result, "hit"), near, NearCache::hits);
		CacheMeters.counter(registry, ResilientCacheMeters.NEAR_GETS, tags.and(result, "miss"), near, NearCache::misses);
		CacheMeters.counter(registry, ResilientCacheMeters.NEAR_INVALIDATIONS, tags, near, NearCache::invalidationsReceived);
		for (NearFlushCause cause : NearFlushCause.values()) {
			CacheMeters.counter(registry, ResilientCacheMeters.NEAR_FLUSHES, tags.and(ResilientCacheMeters.Tag.CAUSE.asString(), cause.tag()),
					near, (n) -> n.flushes(cause));
		}
		Gauge.builder(ResilientCacheMeters.NEAR_SIZE.getName(), near, NearCache::size)
			.tags(tags)
			.description(ResilientCacheMeters.NEAR_SIZE.getDescription())
			.register(registry);
		Gauge.builder(ResilientCacheMeters.NEAR_LIVE.getName(), near, (n) -> n.isLive() ? 1 : 0)
			.tags(tags)
			.description(ResilientCacheMeters.NEAR_LIVE.getDescription())
			.register(registry);
	}

	/**
	 * Records the invalidation lags of the instance's near tiers and counts rejected messages.
	 * @param registry the registry
	 * @param invalidations the instance's listener
	 */
	static void bindLag(MeterRegistry registry, NearInvalidations invalidations) {
		CacheMeters.counter(registry, ResilientCacheMeters.NEAR_REJECTED, Tags.empty(), invalidations, NearInvalidations::rejected);
		Map<String, Timer> timers = new ConcurrentHashMap<>();
		invalidations.setLagRecorder((cache, region, nanos) -> timers.computeIfAbsent(cache + '\n' + region,
				(key) -> Timer.builder(ResilientCacheMeters.NEAR_INVALIDATION_LAG.getName())
					.tags(ResilientCacheMeters.Tag.CACHE.asString(), cache, ResilientCacheMeters.Tag.REGION.asString(), region)
					.description(ResilientCacheMeters.NEAR_INVALIDATION_LAG.getDescription())
					.publishPercentileHistogram()
					.maximumExpectedValue(Duration.ofSeconds(10))
					.register(registry))
			.record(nanos, TimeUnit.NANOSECONDS));
	}

}
