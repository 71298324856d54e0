package io.github.resilientcache.actuate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.github.resilientcache.cache.CacheOperationTimer;
import io.github.resilientcache.fleet.RegionLoad;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Each region's load for the fleet's snapshots, read from the {@code resilient.cache.latency} timers
 * the cache already records ({@link CacheLatencyTimer}), so that the telemetry adds nothing to the
 * request path: calls per second from the timers' counts, and the 99th percentile from their
 * histogram where one has buckets ({@code management.metrics.distribution.percentiles-histogram}
 * with a registry that aggregates percentiles such as Prometheus, or
 * {@code management.metrics.distribution.slo} with any), as the upper bound of the bucket that holds
 * it. Both cover the calls since the previous sample: the differences of cumulative counts. A
 * histogram whose counts went down (a registry whose histograms are time windows rotated one) gives
 * no bucket for that sample rather than a wrong one. Without buckets, a published 0.99 percentile
 * ({@code management.metrics.distribution.percentiles}) is used: Micrometer's own, over its
 * distribution window rather than the interval.
 * <p>
 * Called by the fleet telemetry's thread only.
 */
public final class CacheLatencyLoad implements RegionLoad.Source {

	private static final double PERCENTILE = 0.99;

	private final MeterRegistry registry;

	private final List<String> regionNames;

	private final LongSupplier nanoTime;

	private Map<Meter.Id, Reading> previous = new HashMap<>();

	private long previousNanos;

	private boolean sampled;

	/**
	 * Creates the source.
	 * @param registry the registry holding the cache's latency timers
	 * @param regions the regions
	 */
	public CacheLatencyLoad(MeterRegistry registry, Regions regions) {
		this(registry, regions.all().stream().map(Region::name).toList(), System::nanoTime);
	}

	CacheLatencyLoad(MeterRegistry registry, List<String> regionNames, LongSupplier nanoTime) {
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
		this.regionNames = regionNames;
		this.nanoTime = nanoTime;
	}

	@Override
	public Map<String, RegionLoad> sample() {
		long now = this.nanoTime.getAsLong();
		Map<String, Interval> intervals = new HashMap<>();
		Map<Meter.Id, Reading> current = new HashMap<>();
		for (Timer timer : this.registry.find(ResilientCacheMeters.CACHE_LATENCY.getName()).timers()) {
			String region = timer.getId().getTag(ResilientCacheMeters.Tag.REGION.asString());
			if (region == null || CacheOperationTimer.NO_REGION.equals(region)) {
				continue;
			}
			Reading reading = Reading.of(timer.takeSnapshot());
			current.put(timer.getId(), reading);
			// A timer that is new since the previous sample is created on its first call: all its calls are new.
			Reading before = this.previous.getOrDefault(timer.getId(), Reading.NONE);
			intervals.computeIfAbsent(region, (name) -> new Interval()).add(reading, before);
		}
		boolean first = !this.sampled;
		double seconds = (now - this.previousNanos) / 1e9;
		this.previous = current;
		this.previousNanos = now;
		this.sampled = true;
		if (first || seconds <= 0) {
			return Map.of();
		}
		Map<String, RegionLoad> loads = new LinkedHashMap<>();
		for (String region : this.regionNames) {
			Interval interval = intervals.get(region);
			loads.put(region, (interval != null) ? interval.load(seconds) : new RegionLoad(-1, 0));
		}
		return loads;
	}

	/**
	 * What one timer had recorded at a sample.
	 * @param count its calls
	 * @param bounds upper bounds of its histogram's buckets in nanoseconds, empty without a histogram
	 * @param cumulative calls at or under each bound
	 * @param maxNanos the longest call the timer remembers
	 * @param p99Nanos the timer's published 0.99 percentile, NaN if it publishes none
	 */
	private record Reading(long count, double[] bounds, double[] cumulative, double maxNanos, double p99Nanos) {

		static final Reading NONE = new Reading(0, new double[0], new double[0], 0, Double.NaN);

		static Reading of(HistogramSnapshot snapshot) {
			CountAtBucket[] buckets = snapshot.histogramCounts();
			double[] bounds = new double[buckets.length];
			double[] cumulative = new double[buckets.length];
			for (int i = 0; i < buckets.length; i++) {
				bounds[i] = buckets[i].bucket(TimeUnit.NANOSECONDS);
				cumulative[i] = buckets[i].count();
			}
			double p99 = Double.NaN;
			for (ValueAtPercentile percentile : snapshot.percentileValues()) {
				if (percentile.percentile() == PERCENTILE) {
					p99 = percentile.value(TimeUnit.NANOSECONDS);
				}
			}
			return new Reading(snapshot.count(), bounds, cumulative, snapshot.max(TimeUnit.NANOSECONDS), p99);
		}

	}

	/**
	 * A region's calls between two samples, over all its timers (caches and operations).
	 */
	private static final class Interval {

		private long calls;

		/** Calls of the timers whose histogram gave a usable difference. */
		private long histogramCalls;

		private double @Nullable [] bounds;

		private double @Nullable [] cumulative;

		private double maxNanos;

		/** The highest published 0.99 percentile of the timers that had calls, NaN if none publishes one. */
		private double publishedP99Nanos = Double.NaN;

		void add(Reading now, Reading before) {
			long calls = now.count() - before.count();
			if (calls < 0) {
				// The timer was replaced (removed and registered again): nothing to compare with.
				return;
			}
			this.calls += calls;
			if (calls > 0 && !Double.isNaN(now.p99Nanos())) {
				this.publishedP99Nanos = Double.isNaN(this.publishedP99Nanos) ? now.p99Nanos() : Math.max(this.publishedP99Nanos, now.p99Nanos());
			}
			if (calls == 0 || now.bounds().length == 0) {
				return;
			}
			this.maxNanos = Math.max(this.maxNanos, now.maxNanos());
			double[] difference = difference(now, before);
			if (difference == null || (this.bounds != null && !Arrays.equals(this.bounds, now.bounds()))) {
				return;
			}
			if (this.bounds == null || this.cumulative == null) {
				this.bounds = now.bounds();
				this.cumulative = difference;
			}
			else {
				for (int i = 0; i < difference.length; i++) {
					this.cumulative[i] += difference[i];
				}
			}
			this.histogramCalls += calls;
		}

		private static double @Nullable [] difference(Reading now, Reading before) {
			if (before.bounds().length == 0) {
				return now.cumulative().clone();
			}
			if (!Arrays.equals(now.bounds(), before.bounds())) {
				return null;
			}
			double[] difference = new double[now.cumulative().length];
			for (int i = 0; i < difference.length; i++) {
				difference[i] = now.cumulative()[i] - before.cumulative()[i];
				if (difference[i] < 0) {
					return null;
				}
			}
			return difference;
		}

		RegionLoad load(double seconds) {
			return new RegionLoad(p99Millis(), (float) (this.calls / seconds));
		}

		private float p99Millis() {
			if (this.histogramCalls == 0 || this.bounds == null || this.cumulative == null) {
				return Double.isNaN(this.publishedP99Nanos) ? -1 : (float) (this.publishedP99Nanos / 1e6);
			}
			double rank = Math.ceil(PERCENTILE * this.histogramCalls);
			for (int i = 0; i < this.bounds.length; i++) {
				if (this.cumulative[i] >= rank) {
					return (float) (this.bounds[i] / 1e6);
				}
			}
			// Past the last bucket: the longest call the timers remember is the best bound there is.
			return (float) (this.maxNanos / 1e6);
		}

	}

}
