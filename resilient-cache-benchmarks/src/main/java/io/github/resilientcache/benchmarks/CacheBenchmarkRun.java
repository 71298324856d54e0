package io.github.resilientcache.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.resilientcache.test.EmbeddedRedis;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link CacheBenchmark} on two embedded Redis servers started once for the whole run, and
 * turns JMH's results into rows and ratio tables.
 * <p>
 * Settings (system properties): {@code benchmark.quick} (1 warmup and 1 measurement iteration of
 * 1 s), {@code benchmark.forks} (default 1; 0 runs in this JVM), {@code benchmark.methods} and
 * {@code benchmark.contenders} (comma-separated subsets), {@code benchmark.threads} (default
 * {@code 1,8}), {@code benchmark.jmh.args} (e.g. {@code -prof gc}, for investigations).
 */
final class CacheBenchmarkRun {

	static final List<String> METHODS = List.of("cacheGetHit", "cacheGetMiss", "cachePut", "cacheEvict", "cacheableGetHit",
			"cacheableGetMiss", "cacheablePut", "cacheableEvict");

	private CacheBenchmarkRun() {
	}

	/**
	 * One measured figure set: a contender, an operation, a thread count.
	 * @param contender the cache manager
	 * @param method the benchmark method
	 * @param threads benchmark threads
	 * @param meanMicros mean time per call
	 * @param p50Micros median
	 * @param p99Micros 99th percentile
	 * @param samples number of sampled calls
	 * @param incident what the starter did besides serving (failed over, journaled writes), if anything
	 */
	record Row(Contender contender, String method, int threads, double meanMicros, double p50Micros, double p99Micros, long samples,
			@Nullable String incident) {

		/** Calls per second over all threads: in a closed loop, threads / mean time per call. */
		double opsPerSecond() {
			return this.threads * 1e6 / this.meanMicros;
		}

	}

	/**
	 * Runs the benchmark.
	 * @param settings what to run
	 * @return the rows, one per contender, method and thread count
	 */
	static List<Row> run(Settings settings) throws Exception {
		try (EmbeddedRedis east = EmbeddedRedis.start("bench-east"); EmbeddedRedis west = EmbeddedRedis.start("bench-west")) {
			RedisServers servers = RedisServers.of(east, west);
			servers.publish();
			Path incidents = Files.createTempFile("benchmark-incidents", ".tsv");
			System.setProperty(Incidents.FILE, incidents.toString());
			List<Row> rows = new ArrayList<>();
			for (int threads : settings.threads()) {
				String methods = String.join("|", settings.methods());
				ChainedOptionsBuilder options = new OptionsBuilder().include(CacheBenchmark.class.getName() + "\\.(" + methods + ")$")
					.param("contender", settings.contenders().stream().map(Contender::id).toArray(String[]::new))
					.forks(settings.forks())
					.warmupIterations(settings.quick() ? 1 : 2)
					.warmupTime(TimeValue.milliseconds(settings.iterationMillis()))
					.measurementIterations(settings.quick() ? 1 : 3)
					.measurementTime(TimeValue.milliseconds(settings.iterationMillis()))
					.threads(threads)
					.shouldFailOnError(false)
					.jvmArgsAppend(jvmArgs(servers, incidents));
				String extra = System.getProperty("benchmark.jmh.args", "");
				if (extra.contains("-prof gc")) {
					options.addProfiler("gc");
				}
				Collection<RunResult> results = new Runner(options.build()).run();
				Map<String, String> happened = Incidents.read(incidents);
				for (RunResult result : results) {
					Statistics statistics = result.getPrimaryResult().getStatistics();
					String benchmark = result.getParams().getBenchmark();
					String contender = result.getParams().getParam("contender");
					String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
					rows.add(new Row(Contender.of(contender), method, threads, statistics.getMean(), statistics.getPercentile(50),
							statistics.getPercentile(99), statistics.getN(), happened.get(Incidents.key(contender, method, threads))));
				}
				// Printed as soon as known: a long run that fails later still leaves its figures.
				System.out.println(tables(rows.stream().filter((row) -> row.threads() == threads).toList()));
			}
			return rows;
		}
	}

	private static String[] jvmArgs(RedisServers servers, Path incidents) {
		List<String> args = new ArrayList<>(List.of("-Xmx1g", "-Xms1g", "-D" + Incidents.FILE + "=" + incidents));
		args.addAll(Arrays.asList(servers.jvmArgs()));
		return args.toArray(String[]::new);
	}

	/**
	 * What to run.
	 * @param quick 1 warmup and 1 measurement iteration
	 * @param forks JMH forks, 0 to run in this JVM
	 * @param iterationMillis length of each iteration
	 * @param methods benchmark methods
	 * @param contenders cache managers
	 * @param threads thread counts
	 */
	record Settings(boolean quick, int forks, long iterationMillis, List<String> methods, List<Contender> contenders, List<Integer> threads) {

		static Settings fromSystemProperties() {
			boolean quick = Boolean.getBoolean("benchmark.quick");
			List<String> methods = list("benchmark.methods", METHODS);
			List<Contender> contenders = list("benchmark.contenders", Arrays.stream(Contender.values()).map(Contender::id).toList())
				.stream().map(Contender::of).toList();
			List<Integer> threads = list("benchmark.threads", List.of("1", "8")).stream().map(Integer::valueOf).toList();
			return new Settings(quick, Integer.getInteger("benchmark.forks", 1), Long.getLong("benchmark.iteration-ms", quick ? 1000 : 2000),
					methods, contenders, threads);
		}

		private static List<String> list(String property, List<String> defaults) {
			String value = System.getProperty(property);
			return (value == null || value.isBlank()) ? defaults : Arrays.stream(value.split(",")).map(String::trim).toList();
		}

	}

	/**
	 * The result tables in Markdown: for each API and thread count, each contender's throughput,
	 * p50 and p99 as ratios to Redisson's cache manager (with a TTL) in the same run; then that
	 * baseline's own figures.
	 * @param rows the rows
	 * @return the tables
	 */
	static String tables(List<Row> rows) {
		StringBuilder out = new StringBuilder();
		List<Integer> threadCounts = rows.stream().map(Row::threads).distinct().sorted().toList();
		for (String api : List.of("cache", "cacheable")) {
			for (int threads : threadCounts) {
				List<String> methods = METHODS.stream().filter((m) -> m.startsWith(api) && !m.startsWith(api.equals("cache") ? "cacheable" : "-"))
					.filter((m) -> rows.stream().anyMatch((r) -> r.method().equals(m) && r.threads() == threads))
					.toList();
				if (methods.isEmpty()) {
					continue;
				}
				out.append(String.format(Locale.ROOT, "%n%s, %d thread%s: throughput / p50 / p99 as ratios to %s (throughput: higher is better; latency: lower is better)%n%n",
						api.equals("cache") ? "Spring Cache API" : "@Cacheable proxy", threads, threads == 1 ? "" : "s", Contender.REDISSON.id()));
				out.append("| cache manager |");
				methods.forEach((m) -> out.append(' ').append(operation(m)).append(" |"));
				out.append('\n').append("|---|");
				methods.forEach((m) -> out.append("---|"));
				out.append('\n');
				for (Contender contender : Contender.values()) {
					if (rows.stream().noneMatch((r) -> r.contender() == contender && r.threads() == threads)) {
						continue;
					}
					out.append("| ").append(contender.id()).append(" |");
					for (String method : methods) {
						Row row = find(rows, contender, method, threads);
						Row base = find(rows, Contender.REDISSON, method, threads);
						if (row == null || base == null) {
							out.append(" n/a |");
						}
						else {
							out.append(String.format(Locale.ROOT, " %.2f / %.2f / %.2f%s |", row.opsPerSecond() / base.opsPerSecond(),
									row.p50Micros() / base.p50Micros(), row.p99Micros() / base.p99Micros(), (row.incident() != null) ? " (!)" : ""));
						}
					}
					out.append('\n');
				}
			}
		}
		List<Row> incidents = rows.stream().filter((r) -> r.incident() != null).toList();
		if (!incidents.isEmpty()) {
			out.append(String.format(Locale.ROOT, "%n(!) the starter did more than serve in these trials (a region command outlasted its timeout on the busy machine):%n%n"));
			incidents.forEach((r) -> out.append(String.format(Locale.ROOT, "- %s %s, %d thread%s: %s%n", r.contender().id(), r.method(), r.threads(),
					(r.threads() == 1) ? "" : "s", r.incident())));
		}
		out.append(String.format(Locale.ROOT, "%nBaseline (%s) in this run: calls/s, p50 and p99 in microseconds%n%n", Contender.REDISSON.title()));
		out.append("| operation | threads | calls/s | p50 us | p99 us |\n|---|---|---|---|---|\n");
		for (Row row : rows) {
			if (row.contender() == Contender.REDISSON) {
				out.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.0f | %.0f |%n", row.method(), row.threads(), row.opsPerSecond(),
						row.p50Micros(), row.p99Micros()));
			}
		}
		return out.toString();
	}

	private static String operation(String method) {
		String op = method.startsWith("cacheable") ? method.substring("cacheable".length()) : method.substring("cache".length());
		return switch (op) {
			case "GetHit" -> "get-hit";
			case "GetMiss" -> "get-miss";
			case "Put" -> "put";
			case "Evict" -> "evict";
			default -> op;
		};
	}

	private static Row find(List<Row> rows, Contender contender, String method, int threads) {
		return rows.stream().filter((r) -> r.contender() == contender && r.method().equals(method) && r.threads() == threads).findFirst().orElse(null);
	}

}
