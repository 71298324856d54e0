package io.github.resilientcache.sample.demo;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where a load run stands, as {@code GET /demo/load} and the progress log show it.
 * @param run the run's number since start
 * @param state {@code RUNNING} (sending), {@code DRAINING} (done sending, answers still due),
 * {@code FINISHED} or {@code STOPPED} (by a client, or because the application stops)
 * @param rate the target rate, payments per second
 * @param seconds the planned duration
 * @param startedAt when it started
 * @param elapsedSeconds time since it started
 * @param sent payments sent
 * @param completed payments answered, whatever the answer
 * @param inFlight payments sent and not answered yet
 * @param approved payments approved
 * @param declined payments declined (a business outcome, not an error)
 * @param declinesByReason declines by reason
 * @param errors payments that failed: an HTTP error status, a transport error or timeout, or not
 * sent because too many were in flight. Zero is the goal through any region failure.
 * @param errorsByKind errors by kind: {@code 5xx}, {@code 4xx}, {@code timeout}, {@code transport},
 * {@code overload}
 * @param paymentsPerSecond payments answered in the last complete second
 * @param averagePaymentsPerSecond payments answered per second since the start
 * @param latency latency percentiles since the start, milliseconds
 * @param recentLatency latency percentiles over the last five complete seconds, milliseconds
 * @param lastError the last error, for the log and the dashboard
 */
public record LoadFigures(int run, String state, int rate, int seconds, Instant startedAt, double elapsedSeconds, long sent,
		long completed, long inFlight, long approved, long declined, Map<String, Long> declinesByReason, long errors,
		Map<String, Long> errorsByKind, double paymentsPerSecond, double averagePaymentsPerSecond, Latency latency,
		Latency recentLatency, @Nullable String lastError) {

	/**
	 * Latency percentiles, in milliseconds.
	 * @param p50 median
	 * @param p95 95th percentile
	 * @param p99 99th percentile
	 * @param max largest
	 */
	public record Latency(double p50, double p95, double p99, double max) {

		static Latency of(LatencyHistogram histogram) {
			return new Latency(round(histogram.percentileMillis(0.50)), round(histogram.percentileMillis(0.95)),
					round(histogram.percentileMillis(0.99)), round(histogram.maxMillis()));
		}

		private static double round(double millis) {
			return Math.round(millis * 10) / 10.0;
		}

	}

	/**
	 * One progress line.
	 * @return the line
	 */
	String describe() {
		return String.format("Load run %d %s: %.0f s of %d, %d sent, %.0f payments/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms "
				+ "(last 5 s: p99 %.1f ms), %d errors %s, %d declined, %d in flight", this.run, this.state, this.elapsedSeconds,
				this.seconds, this.sent, this.paymentsPerSecond, this.latency.p50(), this.latency.p95(), this.latency.p99(),
				this.recentLatency.p99(), this.errors, this.errorsByKind, this.declined, this.inFlight);
	}

}
