package io.github.resilientcache.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * Entry point of the benchmarks: {@code ./mvnw -pl resilient-cache-benchmarks exec:exec -Dbenchmark=NAME}
 * with NAME {@code cache}, {@code failover}, {@code replay}, {@code write} or {@code all}; add
 * {@code -Dbenchmark.quick=true} for one short iteration of each (what CI runs). Each benchmark starts its own embedded Redis
 * servers and prints its figures next to a baseline measured in the same run.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0].toLowerCase(Locale.ROOT) : "all";
		boolean quick = Boolean.getBoolean("benchmark.quick");
		switch (which) {
			case "cache" -> cache();
			case "failover" -> System.out.println("todo");
			case "replay" -> ReplayRateBenchmark.run(quick ? 2_000 : 100_000);
			case "write" -> VersionedWriteBenchmark.run(quick);
			case "all" -> {
				cache();
				System.out.println("todo");
				ReplayRateBenchmark.run(quick ? 2_000 : 100_000);
				VersionedWriteBenchmark.run(quick);
			}
			default -> throw new IllegalArgumentException("Unknown benchmark '" + which + "': use cache, failover, replay, write or all");
		}
	}

	private static void cache() throws Exception {
		List<CacheBenchmarkRun.Row> rows = CacheBenchmarkRun.run(CacheBenchmarkRun.Settings.fromSystemProperties());
		System.out.println(CacheBenchmarkRun.tables(rows));
	}

}
