package io.github.resilientcache.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate load on several services at once, bounded in time. One pacing thread issues call n
 * of every service at {@code start + n / rate}; each call runs on its service's own bounded pool, so
 * that a hanging service neither delays the schedule nor the other services. Latency is measured
 * from the call's scheduled time (no coordinated omission): queueing behind a hung call counts.
 */
final class FailoverLoad {

	/** Largest number of calls of one service in flight; past it a call is counted as not sent. */
	static final int MAX_IN_FLIGHT = 400;

	private final List<Target> targets;

	private final int rate;

	private final int seconds;

	private volatile long startNanos;

	FailoverLoad(List<Target> targets, int rate, int seconds) {
		this.targets = targets;
		this.rate = rate;
		this.seconds = seconds;
	}

	/**
	 * One service under load.
	 * @param name the variant's name
	 * @param call the call, given the sequence number of the call
	 * @param seconds the per-second buckets
	 * @param pool where its calls run
	 */
	record Target(String name, Call call, Second[] seconds, ThreadPoolExecutor pool) {

		static Target of(String name, Call call, int seconds) {
			Second[] buckets = new Second[seconds + 1];
			Arrays.setAll(buckets, (i) -> new Second());
			AtomicInteger threads = new AtomicInteger();
			ThreadPoolExecutor pool = new ThreadPoolExecutor(8, MAX_IN_FLIGHT, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), (runnable) -> {
				Thread thread = new Thread(runnable, "load-" + name + "-" + threads.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			});
			return new Target(name, call, buckets, pool);
		}

	}

	@FunctionalInterface
	interface Call {

		void run(long n) throws Exception;

	}

	/**
	 * Runs the load on a thread of its own.
	 * @return the pacing thread
	 */
	Thread start() {
		this.startNanos = System.nanoTime();
		Thread pacer = new Thread(this::pace, "load-pacer");
		pacer.setDaemon(true);
		pacer.start();
		return pacer;
	}

	long startNanos() {
		return this.startNanos;
	}

	private void pace() {
		long period = 1_000_000_000L / this.rate;
		long total = (long) this.rate * this.seconds;
		for (long n = 0; n < total; n++) {
			long intended = this.startNanos + n * period;
			long wait = intended - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			int second = (int) ((intended - this.startNanos) / 1_000_000_000L);
			for (Target target : this.targets) {
				long call = n;
				Second bucket = target.seconds()[second];
				try {
					target.pool().execute(() -> {
						boolean failed = false;
						try {
							target.call().run(call);
						}
						catch (Exception | Error ex) {
							failed = true;
						}
						bucket.record(System.nanoTime() - intended, failed);
					});
				}
				catch (RejectedExecutionException ex) {
					bucket.notSent();
				}
			}
		}
	}

	/**
	 * Waits for the calls in flight and stops the pools.
	 */
	void finish() throws InterruptedException {
		for (Target target : this.targets) {
			target.pool().shutdown();
		}
		for (Target target : this.targets) {
			target.pool().awaitTermination(30, TimeUnit.SECONDS);
		}
	}

	/**
	 * The calls scheduled in one second of the timeline.
	 */
	static final class Second {

		private long[] latencies = new long[1024];

		private int calls;

		private int errors;

		private int notSent;

		synchronized void record(long latencyNanos, boolean failed) {
			if (this.calls == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.calls * 2);
			}
			this.latencies[this.calls++] = latencyNanos;
			if (failed) {
				this.errors++;
			}
		}

		synchronized void notSent() {
			this.notSent++;
		}

		synchronized int calls() {
			return this.calls;
		}

		synchronized int errors() {
			return this.errors;
		}

		synchronized int notSentCount() {
			return this.notSent;
		}

		synchronized long[] latencies() {
			return Arrays.copyOf(this.latencies, this.calls);
		}

	}

	/**
	 * Percentiles of latencies, in milliseconds.
	 * @param latencies the latencies in nanoseconds
	 * @return p50, p99 and max, or NaN for none
	 */
	static double[] percentiles(long[] latencies) {
		if (latencies.length == 0) {
			return new double[] { Double.NaN, Double.NaN, Double.NaN };
		}
		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		return new double[] { at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6 };
	}

	private static double at(long[] sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

	static long[] concat(List<long[]> parts) {
		List<Long> all = new ArrayList<>();
		parts.forEach((part) -> Arrays.stream(part).forEach(all::add));
		return all.stream().mapToLong(Long::longValue).toArray();
	}

}
