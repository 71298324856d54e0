package io.github.resilientcache.actuate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.github.resilientcache.cache.CacheOperationTimer;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.util.Assert;

/**
 * Records {@code resilient.cache.latency}: one timer per cache, operation and region, created on
 * first use and then found by two map reads and an array index, so that recording allocates nothing.
 */
public final class CacheLatencyTimer implements CacheOperationTimer {

	private static final Operation[] OPERATIONS = Operation.values();

	private final MeterRegistry registry;

	private final List<String> regionNames;

	private final Map<String, Integer> regionIndexes = new HashMap<>();

	private final Map<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

	/**
	 * Creates the timer.
	 * @param registry where the timers are registered
	 * @param regions the regions, whose names are the region tag's values (and {@link #NO_REGION})
	 */
	public CacheLatencyTimer(MeterRegistry registry, Regions regions) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(regions, "'regions' must not be null");
		this.registry = registry;
		this.regionNames = new ArrayList<>(regions.all().stream().map(Region::name).toList());
		this.regionNames.add(NO_REGION);
		for (int i = 0; i < this.regionNames.size(); i++) {
			this.regionIndexes.put(this.regionNames.get(i), i);
		}
	}

	@Override
	public void record(String cache, Operation operation, String region, long nanos) {
		Integer regionIndex = this.regionIndexes.get(region);
		if (regionIndex == null) {
			return;
		}
		AtomicReferenceArray<Timer> forCache = this.timers.get(cache);
		if (forCache == null) {
			forCache = this.timers.computeIfAbsent(cache, (name) -> new AtomicReferenceArray<>(OPERATIONS.length * this.regionNames.size()));
		}
		int slot = operation.ordinal() * this.regionNames.size() + regionIndex;
		Timer timer = forCache.get(slot);
		if (timer == null) {
			// Registering is idempotent: two threads racing here get the same timer.
			timer = Timer.builder(ResilientCacheMeters.CACHE_LATENCY.getName())
				.description(ResilientCacheMeters.CACHE_LATENCY.getDescription())
				.tag(ResilientCacheMeters.Tag.CACHE.asString(), cache)
				.tag(ResilientCacheMeters.Tag.OPERATION.asString(), operation.name().toLowerCase(Locale.ROOT))
				.tag(ResilientCacheMeters.Tag.REGION.asString(), region)
				.register(this.registry);
			forCache.set(slot, timer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

}
