package io.github.resilientcache.sample.demo;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Latencies in logarithmic buckets 5% wide, from 1 µs to over two minutes: fixed memory whatever
 * the length of a run, percentiles within 5%, and lock-free recording from the HTTP client's
 * threads.
 */
final class LatencyHistogram {

	private static final double GROWTH = 1.05;

	private static final double LOG_GROWTH = Math.log(GROWTH);

	private static final int BUCKETS = 400;

	private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

	private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

	void record(long nanos) {
		this.counts.incrementAndGet(bucket(nanos));
		this.maxNanos.accumulate(nanos);
	}

	/**
	 * Adds another histogram's counts to this one.
	 * @param other the other histogram
	 */
	void add(LatencyHistogram other) {
		for (int i = 0; i < BUCKETS; i++) {
			long count = other.counts.get(i);
			if (count != 0) {
				this.counts.addAndGet(i, count);
			}
		}
		this.maxNanos.accumulate(other.maxNanos.get());
	}

	long count() {
		long total = 0;
		for (int i = 0; i < BUCKETS; i++) {
			total += this.counts.get(i);
		}
		return total;
	}

	/**
	 * The latency below which a share of the recorded ones fall.
	 * @param quantile the share, such as 0.99
	 * @return the latency in milliseconds (the upper bound of its bucket, at most the maximum), 0 if
	 * nothing was recorded
	 */
	double percentileMillis(double quantile) {
		long total = count();
		if (total == 0) {
			return 0;
		}
		long rank = (long) Math.ceil(quantile * total);
		long seen = 0;
		for (int i = 0; i < BUCKETS; i++) {
			seen += this.counts.get(i);
			if (seen >= Math.max(rank, 1)) {
				return Math.min(upperBoundMicros(i), this.maxNanos.get() / 1000.0) / 1000.0;
			}
		}
		return maxMillis();
	}

	double maxMillis() {
		return this.maxNanos.get() / 1_000_000.0;
	}

	private static int bucket(long nanos) {
		double micros = nanos / 1000.0;
		if (micros <= 1) {
			return 0;
		}
		return Math.min(BUCKETS - 1, 1 + (int) (Math.log(micros) / LOG_GROWTH));
	}

	private static double upperBoundMicros(int bucket) {
		return Math.pow(GROWTH, bucket);
	}

}
