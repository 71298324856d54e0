package io.github.resilientcache.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.resilientcache.benchmarks.WanBenchmark.Op;
import io.github.resilientcache.benchmarks.WanBenchmark.Settings;
import io.github.resilientcache.benchmarks.WanBenchmark.Setup;

/**
 * The WAN benchmark's figures: latencies in milliseconds (the WAN delay is their scale), each also
 * as the median and range of its per-round ratios to the one-region starter measured in the same
 * round, and as the time it adds to the one-region figure in round trips through the proxy.
 */
final class WanResult {

	private final Settings settings;

	private final double rttMillis;

	private final Map<Setup, Map<Op, List<long[]>>> rounds;

	private final Map<String, long[]> lags;

	private final Map<Setup, long[]> failover;

	private final long misses;

	private final List<String> changes;

	WanResult(Settings settings, double rttMillis, Map<Setup, Map<Op, List<long[]>>> rounds, Map<String, long[]> lags,
			Map<Setup, long[]> failover, long misses, List<String> changes) {
		this.settings = settings;
		this.rttMillis = rttMillis;
		this.rounds = rounds;
		this.lags = lags;
		this.failover = failover;
		this.misses = misses;
		this.changes = changes;
	}

	/**
	 * One operation of one setup.
	 * @param setup the setup
	 * @param op the operation
	 * @param samples operations timed, all rounds
	 * @param p50 median over all rounds, ms
	 * @param p99 99th percentile over all rounds, ms
	 * @param p50Ratio per-round p50 over the one-region p50
	 * @param p99Ratio per-round p99 over the one-region p99
	 * @param addedRtts per-round p50 minus the one-region p50, in proxy round trips
	 */
	record OpRow(Setup setup, Op op, int samples, double p50, double p99, Spread p50Ratio, Spread p99Ratio, Spread addedRtts) {

	}

	/**
	 * A latency distribution.
	 * @param name what was timed
	 * @param samples how many
	 * @param p50 median, ms
	 * @param p99 99th percentile, ms
	 * @param max longest, ms
	 */
	record Distribution(String name, int samples, double p50, double p99, double max) {

		static Distribution of(String name, long[] nanos) {
			double[] p = FailoverLoad.percentiles(nanos);
			return new Distribution(name, nanos.length, p[0], p[1], p[2]);
		}

	}

	double rttMillis() {
		return this.rttMillis;
	}

	List<String> changes() {
		return this.changes;
	}

	long misses() {
		return this.misses;
	}

	List<OpRow> rows() {
		List<OpRow> rows = new ArrayList<>();
		for (Setup setup : this.settings.setups()) {
			for (Op op : Op.values()) {
				List<long[]> mine = this.rounds.get(setup).get(op);
				List<long[]> baseline = this.rounds.get(Setup.ONE).get(op);
				double[] p50Ratios = new double[mine.size()];
				double[] p99Ratios = new double[mine.size()];
				double[] added = new double[mine.size()];
				for (int round = 0; round < mine.size(); round++) {
					double[] p = FailoverLoad.percentiles(mine.get(round));
					double[] b = FailoverLoad.percentiles(baseline.get(round));
					p50Ratios[round] = p[0] / b[0];
					p99Ratios[round] = p[1] / b[1];
					added[round] = (p[0] - b[0]) / this.rttMillis;
				}
				long[] all = FailoverLoad.concat(mine);
				double[] p = FailoverLoad.percentiles(all);
				rows.add(new OpRow(setup, op, all.length, p[0], p[1], Spread.of(p50Ratios), Spread.of(p99Ratios), Spread.of(added)));
			}
		}
		return rows;
	}

	List<Distribution> lags() {
		return this.lags.entrySet().stream().map((lag) -> Distribution.of(lag.getKey(), lag.getValue())).toList();
	}

	List<Distribution> failoverReads() {
		return this.failover.entrySet().stream().map((reads) -> Distribution.of(reads.getKey().id, reads.getValue())).toList();
	}

	String table() {
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
				"WAN delay %d ms each way (measured PING round trip through the proxy minus direct: %.1f ms = 1 RTT); one caller through Spring's "
						+ "Cache API; %d interleaved rounds of %d get-hits, puts and evictions per setup (%d puts and evictions at the all level)%n%n",
				this.settings.delay().toMillis(), this.rttMillis, this.settings.rounds(), this.settings.ops(), this.settings.allOps()));
		out.append("| setup | op | samples | p50 ms | p99 ms | p50 / 1-region, median (min-max) | p99 / 1-region, median (min-max) | p50 added, RTTs |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		for (OpRow row : rows()) {
			out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.2f | %.2f | %s | %s | %s |%n", row.setup().id, row.op().label, row.samples(),
					row.p50(), row.p99(), row.p50Ratio().format("%.2f"), row.p99Ratio().format("%.2f"), row.addedRtts().format("%.2f")));
		}
		out.append(String.format(Locale.ROOT, "%nReplication lag (put returned -> the remote server published the key's keyspace event), "
				+ "one put every 5 ms%n%n| replication | samples | p50 ms | p99 ms | max ms | p50 / one-way delay |%n|---|---|---|---|---|---|%n"));
		for (Distribution lag : lags()) {
			out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.2f |%n", lag.name(), lag.samples(), lag.p50(), lag.p99(), lag.max(),
					lag.p50() / (this.rttMillis / 2)));
		}
		out.append(String.format(Locale.ROOT, "%nReads after the local region failed (server stopped, breaker open): served by west%n%n"
				+ "| setup | samples | p50 ms | p99 ms | max ms | p50 / RTT |%n|---|---|---|---|---|---|%n"));
		for (Distribution reads : failoverReads()) {
			out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.2f |%n", reads.name(), reads.samples(), reads.p50(), reads.p99(),
					reads.max(), reads.p50() / this.rttMillis));
		}
		out.append(String.format(Locale.ROOT, "%nReads of written keys that missed: %d (a region that missed a write serves no read of that key)%n",
				this.misses));
		out.append(String.format(Locale.ROOT, "Region state changes: %s%n", this.changes.isEmpty() ? "none" : ""));
		this.changes.forEach((change) -> out.append("- ").append(change).append('\n'));
		return out.toString();
	}

	void print() {
		System.out.println("[benchmark] multi-region over a WAN");
		System.out.println(table());
	}

}
