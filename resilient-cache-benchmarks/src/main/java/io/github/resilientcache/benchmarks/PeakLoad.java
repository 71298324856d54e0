package io.github.resilientcache.benchmarks;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;

/**
 * An open-loop load whose rate changes by the second (a step), on one service. Like
 * {@link FailoverLoad}: one pacing thread issues each call at its scheduled time on the service's
 * bounded pool, and latency counts from the scheduled time, so queueing behind slow calls counts
 * (no coordinated omission); a call that finds every pool thread busy is counted as not sent.
 */
final class PeakLoad {

	private final FailoverLoad.Target target;

	private final IntUnaryOperator rate;

	private final int seconds;

	private final long[] offered;

	private volatile long startNanos;

	/**
	 * Creates the load.
	 * @param target the service, its call and its per-second buckets
	 * @param rate calls per second in a given second of the timeline
	 * @param seconds length of the timeline
	 */
	PeakLoad(FailoverLoad.Target target, IntUnaryOperator rate, int seconds) {
		this.target = target;
		this.rate = rate;
		this.seconds = seconds;
		this.offered = new long[seconds];
	}

	Thread start() {
		this.startNanos = System.nanoTime();
		Thread pacer = new Thread(this::pace, "peak-pacer-" + this.target.name());
		pacer.setDaemon(true);
		pacer.start();
		return pacer;
	}

	long startNanos() {
		return this.startNanos;
	}

	/**
	 * Calls scheduled in a second.
	 * @param second the second
	 * @return the number
	 */
	long offered(int second) {
		return this.offered[second];
	}

	private void pace() {
		long n = 0;
		for (int second = 0; second < this.seconds; second++) {
			int perSecond = this.rate.applyAsInt(second);
			long secondStart = this.startNanos + second * 1_000_000_000L;
			FailoverLoad.Second bucket = this.target.seconds()[second];
			for (int i = 0; i < perSecond; i++) {
				long intended = secondStart + i * 1_000_000_000L / perSecond;
				long wait = intended - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				long call = n++;
				this.offered[second]++;
				try {
					this.target.pool().execute(() -> {
						boolean failed = false;
						try {
							this.target.call().run(call);
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

}
