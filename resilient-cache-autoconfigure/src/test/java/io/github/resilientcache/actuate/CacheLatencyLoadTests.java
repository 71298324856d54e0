package io.github.resilientcache.actuate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilientcache.cache.CacheOperationTimer;
import io.github.resilientcache.cache.CacheOperationTimer.Operation;
import io.github.resilientcache.fleet.RegionLoad;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each region's calls per second and 99th percentile, read from the cache's latency timers over the
 * interval between two samples only.
 */
class CacheLatencyLoadTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	@Test
	void callsPerSecondCountTheIntervalAndNoRegionIsLeftOut() {
		MeterRegistry registry = new SimpleMeterRegistry();
		CacheLatencyLoad load = new CacheLatencyLoad(registry, List.of("east", "west"), this.nanos::get);
		record(registry, "accounts", "east", 5, 100, Operation.GET);
		assertThat(load.sample()).as("no interval yet").isEmpty();
		record(registry, "accounts", "east", 5, 60, Operation.GET);
		record(registry, "limits", "east", 5, 40, Operation.PUT);
		record(registry, "accounts", CacheOperationTimer.NO_REGION, 5, 1000, Operation.GET);
		this.nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
		Map<String, RegionLoad> loads = load.sample();
		assertThat(loads.get("east").callsPerSecond()).isEqualTo(50f);
		assertThat(loads.get("east").p99Millis()).as("no histogram, no percentile").isEqualTo(-1f);
		assertThat(loads.get("west")).isEqualTo(new RegionLoad(-1, 0));
		this.nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
		assertThat(load.sample().get("east").callsPerSecond()).isZero();
	}

	@Test
	void p99IsTheBucketOfTheIntervalsOwnCalls() {
		// A clock that stands still: the simple registry's histogram windows never rotate.
		MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock());
		registry.config().meterFilter(new MeterFilter() {

			@Override
			public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				// The buckets management.metrics.distribution.slo sets: any registry keeps them.
				return DistributionStatisticConfig.builder().serviceLevelObjectives(millis(1, 2, 5, 10, 50, 80, 100, 500)).build().merge(config);
			}

		});
		CacheLatencyLoad load = new CacheLatencyLoad(registry, List.of("east", "west"), this.nanos::get);
		load.sample();
		// 2% of the calls take 80 ms: the 99th percentile is one of them.
		record(registry, "accounts", "east", 2, 980, Operation.GET);
		record(registry, "accounts", "east", 80, 20, Operation.GET);
		this.nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
		RegionLoad slow = load.sample().get("east");
		assertThat(slow.callsPerSecond()).isEqualTo(1000f);
		assertThat(slow.p99Millis()).isEqualTo(80f);
		// The next interval is fast: the slow calls of the previous one no longer count.
		record(registry, "accounts", "east", 2, 1000, Operation.GET);
		this.nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
		RegionLoad fast = load.sample().get("east");
		assertThat(fast.p99Millis()).isEqualTo(2f);
		// Past the last bucket, the longest call the timer remembers is the bound.
		record(registry, "accounts", "west", 45_000, 10, Operation.PUT);
		this.nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
		assertThat(load.sample().get("west").p99Millis()).isEqualTo(45_000f);
	}

	@Test
	void withoutBucketsThePublishedPercentileIsUsed() {
		MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock());
		registry.config().meterFilter(new MeterFilter() {

			@Override
			public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				return DistributionStatisticConfig.builder().percentiles(0.5, 0.99).build().merge(config);
			}

		});
		CacheLatencyLoad load = new CacheLatencyLoad(registry, List.of("east"), this.nanos::get);
		load.sample();
		record(registry, "accounts", "east", 2, 900, Operation.GET);
		record(registry, "accounts", "east", 40, 100, Operation.GET);
		this.nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
		// Micrometer's percentiles are approximations (HdrHistogram with two significant digits).
		assertThat(load.sample().get("east").p99Millis()).isBetween(38f, 42f);
	}

	private static double[] millis(long... values) {
		return java.util.Arrays.stream(values).mapToDouble((value) -> TimeUnit.MILLISECONDS.toNanos(value)).toArray();
	}

	private static void record(MeterRegistry registry, String cache, String region, long millis, int calls, Operation operation) {
		Timer timer = Timer.builder(ResilientCacheMeters.CACHE_LATENCY.getName())
			.tag(ResilientCacheMeters.Tag.CACHE.asString(), cache)
			.tag(ResilientCacheMeters.Tag.OPERATION.asString(), operation.name().toLowerCase(java.util.Locale.ROOT))
			.tag(ResilientCacheMeters.Tag.REGION.asString(), region)
			.register(registry);
		for (int i = 0; i < calls; i++) {
			timer.record(millis, TimeUnit.MILLISECONDS);
		}
	}

}
