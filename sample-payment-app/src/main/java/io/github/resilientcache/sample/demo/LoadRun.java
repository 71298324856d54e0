package io.github.resilientcache.sample.demo;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The counters of one load run. Recorded from the HTTP client's threads, read by the progress log
 * and {@code GET /demo/load}; latencies also go into one-second windows, for the live figures.
 */
final class LoadRun {

	private static final int WINDOWS = 16;

	private final int number;

	private final int rate;

	private final int seconds;

	private final Instant startedAt = Instant.now();

	private final long startNanos = System.nanoTime();

	private final AtomicLong sent = new AtomicLong();

	private final LongAdder completed = new LongAdder();

	private final LongAdder approved = new LongAdder();

	private final Map<String, LongAdder> declines = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

	private final LatencyHistogram latency = new LatencyHistogram();

	private final Window[] windows = new Window[WINDOWS];

	private volatile String state = "RUNNING";

	/** Elapsed time when the run ended, {@code -1} while it is active: a finished run's clock stops. */
	private volatile long endNanos = -1;

	private volatile @Nullable String lastError;

	LoadRun(int number, int rate, int seconds) {
		this.number = number;
		this.rate = rate;
		this.seconds = seconds;
		for (int i = 0; i < WINDOWS; i++) {
			this.windows[i] = new Window();
		}
	}

	int rate() {
		return this.rate;
	}

	long elapsedNanos() {
		long end = this.endNanos;
		return (end >= 0) ? end : System.nanoTime() - this.startNanos;
	}

	boolean isDue() {
		return elapsedNanos() < this.seconds * 1_000_000_000L;
	}

	/**
	 * How many payments should have been sent by now: the rate rises linearly from zero over the
	 * first {@link #rampSeconds()}, then holds, so that a JVM that just started is not flooded
	 * before its code is compiled.
	 * @return the count
	 */
	long dueCount() {
		double t = Math.min(elapsedNanos(), this.seconds * 1_000_000_000L) / 1e9;
		double ramp = rampSeconds();
		double due = (t < ramp) ? this.rate * t * t / (2 * ramp) : this.rate * (t - ramp / 2);
		return (long) due;
	}

	/**
	 * Time over which the rate ramps up: 3 s, or a fifth of a shorter run.
	 * @return the ramp, in seconds
	 */
	double rampSeconds() {
		return Math.min(3.0, this.seconds / 5.0);
	}

	long sent() {
		return this.sent.get();
	}

	long nextSequence() {
		return this.sent.incrementAndGet();
	}

	long inFlight() {
		return this.sent.get() - this.completed.sum();
	}

	boolean isActive() {
		return "RUNNING".equals(this.state) || "DRAINING".equals(this.state);
	}

	String state() {
		return this.state;
	}

	int number() {
		return this.number;
	}

	int seconds() {
		return this.seconds;
	}

	void state(String state) {
		if (!"RUNNING".equals(state) && !"DRAINING".equals(state) && this.endNanos < 0) {
			// Frozen before the state says so: figures read after it never see the clock move on.
			this.endNanos = System.nanoTime() - this.startNanos;
		}
		this.state = state;
	}

	void approved(long nanos) {
		this.approved.increment();
		completed(nanos);
	}

	void declined(String reason, long nanos) {
		this.declines.computeIfAbsent(reason, (key) -> new LongAdder()).increment();
		completed(nanos);
	}

	void failed(String kind, String description, long nanos) {
		this.errors.computeIfAbsent(kind, (key) -> new LongAdder()).increment();
		this.lastError = description;
		completed(nanos);
	}

	/**
	 * A payment not sent at all: counted as sent and failed, so that the figures add up.
	 * @param kind why
	 * @param description the error
	 */
	void notSent(String kind, String description) {
		this.errors.computeIfAbsent(kind, (key) -> new LongAdder()).increment();
		this.lastError = description;
		this.completed.increment();
	}

	private void completed(long nanos) {
		this.completed.increment();
		this.latency.record(nanos);
		long second = elapsedNanos() / 1_000_000_000L;
		this.windows[(int) (second % WINDOWS)].record(second, nanos);
	}

	LoadFigures figures() {
		long now = elapsedNanos();
		long second = now / 1_000_000_000L;
		LatencyHistogram recent = new LatencyHistogram();
		for (long s = Math.max(0, second - 5); s < second; s++) {
			this.windows[(int) (s % WINDOWS)].addTo(s, recent);
		}
		long lastSecond = (second > 0) ? this.windows[(int) ((second - 1) % WINDOWS)].count(second - 1) : 0;
		long completedCount = this.completed.sum();
		double elapsedSeconds = now / 1e9;
		Map<String, Long> declinesByReason = totals(this.declines);
		Map<String, Long> errorsByKind = totals(this.errors);
		return new LoadFigures(this.number, this.state, this.rate, this.seconds, this.startedAt, Math.round(elapsedSeconds * 10) / 10.0,
				this.sent.get(), completedCount, Math.max(0, this.sent.get() - completedCount), this.approved.sum(),
				declinesByReason.values().stream().mapToLong(Long::longValue).sum(), declinesByReason,
				errorsByKind.values().stream().mapToLong(Long::longValue).sum(), errorsByKind, lastSecond,
				Math.round(((elapsedSeconds > 0) ? completedCount / elapsedSeconds : 0) * 10) / 10.0, LoadFigures.Latency.of(this.latency),
				LoadFigures.Latency.of(recent), this.lastError);
	}

	private static Map<String, Long> totals(Map<String, LongAdder> counters) {
		Map<String, Long> totals = new TreeMap<>();
		counters.forEach((key, adder) -> totals.put(key, adder.sum()));
		return totals;
	}

	/**
	 * The latencies of one second of the run; reused sixteen seconds later.
	 */
	private static final class Window {

		private long second = -1;

		private long count;

		private LatencyHistogram latency = new LatencyHistogram();

		synchronized void record(long second, long nanos) {
			if (this.second != second) {
				this.second = second;
				this.count = 0;
				this.latency = new LatencyHistogram();
			}
			this.count++;
			this.latency.record(nanos);
		}

		synchronized long count(long second) {
			return (this.second == second) ? this.count : 0;
		}

		synchronized void addTo(long second, LatencyHistogram histogram) {
			if (this.second == second) {
				histogram.add(this.latency);
			}
		}

	}

}
