package io.github.resilientcache.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of the benchmarks: {@code ./mvnw -pl resilient-cache-benchmarks exec:exec -Dbenchmark=NAME}
 * with NAME {@code cache} (the hot path in interleaved rounds: the headline figures), {@code cache-jmh} (the
 * same operations under JMH, for latency distributions and {@code -prof gc}), {@code failover}, {@code replay}, {@code write}, {@code recovery}, {@code encryption}, {@code wan}, {@code peak}, {@code fleet}, {@code near} or {@code all}; add
 * {@code -Dbenchmark.quick=true} for one short iteration of each (what CI runs). Each benchmark starts
 * its own embedded Redis servers and prints its figures next to a baseline measured in the same run.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0].toLowerCase(Locale.ROOT) : "all";
		boolean quick = Boolean.getBoolean("benchmark.quick");
		switch (which) {
			case "cache" -> interleaved();
			case "cache-jmh" -> cache();
			case "failover" -> failover(quick);
			case "failover-chart" -> {
				// Draws the published chart again from its CSV, e.g. after a change of the chart's layout.
				Path output = Path.of(System.getProperty("benchmark.output", "target/benchmarks"));
				FailoverResult.redraw(output.resolve("benchmarks-failover.csv"), output.resolve("benchmarks-failover.png"));
			}
			case "replay" -> ReplayRateBenchmark.run(quick ? 2_000 : 100_000, 1);
			case "write" -> VersionedWriteBenchmark.run(quick);
			case "recovery" -> RecoveryBenchmark.run(quick ? 2_000 : 100_000, quick ? 1 : 5);
			case "encryption" -> EncryptionBenchmark.run(quick);
			case "wan" -> WanBenchmark.run(WanBenchmark.Settings.of(quick)).print();
			case "peak" -> peak(quick);
			case "fleet" -> FleetBenchmark.run(quick);
			case "near" -> NearCacheBenchmark.run(quick);
			case "all" -> {
				interleaved();
				failover(quick);
				ReplayRateBenchmark.run(quick ? 2_000 : 100_000, 1);
				VersionedWriteBenchmark.run(quick);
				RecoveryBenchmark.run(quick ? 2_000 : 100_000, quick ? 1 : 5);
				EncryptionBenchmark.run(quick);
				WanBenchmark.run(WanBenchmark.Settings.of(quick)).print();
				peak(quick);
				FleetBenchmark.run(quick);
				NearCacheBenchmark.run(quick);
			}
			default -> throw new IllegalArgumentException("Unknown benchmark '" + which + "': use cache, cache-jmh, failover, replay, write, recovery, encryption, wan, peak, fleet, near or all");
		}
	}

	private static void interleaved() throws Exception {
		InterleavedCacheBenchmark.Result result = InterleavedCacheBenchmark.run(InterleavedCacheBenchmark.Settings.fromSystemProperties());
		System.out.println(InterleavedCacheBenchmark.tables(result));
	}

	private static void cache() throws Exception {
		List<CacheBenchmarkRun.Row> rows = CacheBenchmarkRun.run(CacheBenchmarkRun.Settings.fromSystemProperties());
		System.out.println(CacheBenchmarkRun.tables(rows));
	}

	private static void failover(boolean quick) throws Exception {
		// A quick run's figures mean little: they never replace the published chart and CSV.
		Path output = quick ? Path.of("target", "benchmarks") : Path.of(System.getProperty("benchmark.output", "target/benchmarks"));
		FailoverResult result = FailoverBenchmark.run(FailoverBenchmark.Settings.of(quick));
		result.print();
		result.writeCsv(output.resolve("benchmarks-failover.csv"));
		result.writeChart(output.resolve("benchmarks-failover.png"));
		System.out.println("[benchmark] wrote " + output.resolve("benchmarks-failover.csv") + " and " + output.resolve("benchmarks-failover.png"));
	}

	private static void peak(boolean quick) throws Exception {
		// Like the failover chart: a quick run never replaces the published chart and CSV.
		Path output = quick ? Path.of("target", "benchmarks") : Path.of(System.getProperty("benchmark.output", "target/benchmarks"));
		PeakResult result = PeakBenchmark.run(PeakBenchmark.Settings.of(quick));
		result.print();
		result.writeCsv(output.resolve("benchmarks-peak.csv"));
		result.writeChart(output.resolve("benchmarks-peak.png"));
		System.out.println("[benchmark] wrote " + output.resolve("benchmarks-peak.csv") + " and " + output.resolve("benchmarks-peak.png"));
	}

}
