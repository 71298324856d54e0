package io.github.resilientcache.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.resilientcache.benchmarks.FailoverBenchmark.Change;
import io.github.resilientcache.benchmarks.FailoverBenchmark.Phase;
import io.github.resilientcache.benchmarks.FailoverBenchmark.Settings;
import io.github.resilientcache.benchmarks.FailoverBenchmark.StarterEvents;
import io.github.resilientcache.benchmarks.FailoverBenchmark.Variant;
import io.github.resilientcache.recovery.ReplayResult;
import io.github.resilientcache.region.RegionState;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The failover timeline's figures: per variant and phase, the per-second timeline (CSV and chart)
 * and the starter's detection, failback and replay.
 */
final class FailoverResult {

	private final Settings settings;

	private final List<Variant> variants;

	private final List<FailoverLoad.Target> targets;

	private final @Nullable StarterEvents events;

	private final Duration commandTimeout;

	private final int breakerWindow;

	FailoverResult(Settings settings, List<Variant> variants, List<FailoverLoad.Target> targets, @Nullable StarterEvents events, Duration commandTimeout,
			int breakerWindow) {
		this.settings = settings;
		this.variants = variants;
		this.targets = targets;
		this.events = events;
		this.commandTimeout = commandTimeout;
		this.breakerWindow = breakerWindow;
	}

	/**
	 * Figures of one variant in one phase.
	 * @param variant the variant
	 * @param phase the phase
	 * @param calls calls completed
	 * @param errors calls that threw
	 * @param notSent calls the load generator could not start (every pool thread busy)
	 * @param p50 median latency in milliseconds
	 * @param p99 99th percentile in milliseconds
	 * @param max longest call in milliseconds
	 */
	record PhaseRow(String variant, Phase phase, long calls, long errors, long notSent, double p50, double p99, double max) {

	}

	/**
	 * One second of one variant's timeline.
	 * @param variant the variant
	 * @param second the second from the start of the load
	 * @param phase its phase
	 * @param calls calls scheduled in that second and completed
	 * @param errors those that threw
	 * @param p50 median latency in milliseconds
	 * @param p99 99th percentile in milliseconds
	 * @param max longest call in milliseconds
	 */
	record SecondRow(String variant, int second, Phase phase, long calls, long errors, double p50, double p99, double max) {

	}

	/**
	 * The timelines of variants run one after the other, as one result.
	 * @param results one result per variant
	 * @return the result
	 */
	static FailoverResult merge(List<FailoverResult> results) {
		List<Variant> variants = new ArrayList<>();
		List<FailoverLoad.Target> targets = new ArrayList<>();
		StarterEvents events = null;
		int window = 0;
		for (FailoverResult result : results) {
			variants.addAll(result.variants);
			targets.addAll(result.targets);
			if (result.events != null) {
				events = result.events;
				window = result.breakerWindow;
			}
		}
		FailoverResult first = results.get(0);
		return new FailoverResult(first.settings, variants, targets, events, first.commandTimeout, window);
	}

	List<SecondRow> timeline() {
		List<SecondRow> rows = new ArrayList<>();
		for (FailoverLoad.Target target : this.targets) {
			for (int second = 0; second < this.settings.seconds(); second++) {
				FailoverLoad.Second bucket = target.seconds()[second];
				double[] p = FailoverLoad.percentiles(bucket.latencies());
				rows.add(new SecondRow(target.name(), second, this.settings.phaseAt(second), bucket.calls(), bucket.errors(), p[0], p[1], p[2]));
			}
		}
		return rows;
	}

	List<PhaseRow> phases() {
		List<PhaseRow> rows = new ArrayList<>();
		for (FailoverLoad.Target target : this.targets) {
			for (Phase phase : Phase.values()) {
				List<long[]> latencies = new ArrayList<>();
				long calls = 0;
				long errors = 0;
				long notSent = 0;
				for (int second = 0; second < this.settings.seconds(); second++) {
					if (this.settings.phaseAt(second) == phase) {
						FailoverLoad.Second bucket = target.seconds()[second];
						latencies.add(bucket.latencies());
						calls += bucket.calls();
						errors += bucket.errors();
						notSent += bucket.notSentCount();
					}
				}
				double[] p = FailoverLoad.percentiles(FailoverLoad.concat(latencies));
				rows.add(new PhaseRow(target.name(), phase, calls, errors, notSent, p[0], p[1], p[2]));
			}
		}
		return rows;
	}

	@Nullable StarterEvents events() {
		return this.events;
	}

	/**
	 * The starter's local region: time from each fault to its breaker opening and to the first read
	 * another region served; time from each restoration to the region serving again.
	 * @return the lines
	 */
	List<String> starterFigures() {
		List<String> lines = new ArrayList<>();
		if (this.events == null) {
			return lines;
		}
		long[] at = this.events.faultAt();
		String[] faults = { "stop", "restart", "hang (SIGSTOP)", "resume" };
		for (int fault : new int[] { 0, 2 }) {
			long opened = firstChange(at[fault], RegionState.OPEN);
			long served = this.events.failoverServedAt()[fault];
			lines.add(String.format(Locale.ROOT, "%s: region OPEN after %s, first read served by west after %s", faults[fault],
					ms(opened, at[fault]), ms(served, at[fault])));
		}
		for (int restore : new int[] { 1, 3 }) {
			long up = firstChange(at[restore], RegionState.UP);
			lines.add(String.format(Locale.ROOT, "%s: region UP again after %s", faults[restore], ms(up, at[restore])));
		}
		for (ReplayResult replay : this.events.replays()) {
			lines.add(replay.resync() ? "replay: " + replay.describe()
					: String.format(Locale.ROOT, "replay: %s (%,.0f keys/s)", replay.describe(), replay.rate()));
		}
		for (Change change : this.events.changes()) {
			lines.add(String.format(Locale.ROOT, "  state change at t=%,d ms, %s: %s", change.atMillis(), change.to(), change.reason()));
		}
		return lines;
	}

	/**
	 * When the region entered a state after a moment, -1 if it did not.
	 * @param afterMillis the moment
	 * @param state the state
	 * @return the time from the start of the load, in milliseconds
	 */
	long firstChange(long afterMillis, RegionState state) {
		return this.events.changes().stream().filter((c) -> c.atMillis() >= afterMillis && c.to() == state).mapToLong(Change::atMillis)
			.findFirst().orElse(-1);
	}

	private static String ms(long at, long from) {
		return (at < 0) ? "never" : String.format(Locale.ROOT, "%,d ms", at - from);
	}

	/**
	 * The per-phase table in Markdown; latencies also as a ratio to the variant's own healthy p99.
	 * @return the table
	 */
	String table() {
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
				"%d calls/s to each variant (90%% @Cacheable reads, 10%% @CachePut), %d accounts, %s; latency from each call's scheduled time%n%n",
				this.settings.rate(), FailoverBenchmark.ACCOUNTS, this.settings.isolated() ? "one timeline per variant" : "all variants in one timeline"));
		out.append("| variant | phase | calls | errors to callers | p50 ms | p99 ms | max ms | p99 / healthy p99 |\n|---|---|---|---|---|---|---|---|\n");
		List<PhaseRow> rows = phases();
		for (PhaseRow row : rows) {
			PhaseRow healthy = rows.stream().filter((r) -> r.variant().equals(row.variant()) && r.phase() == Phase.HEALTHY).findFirst().orElseThrow();
			out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d (%.1f%%)%s | %.1f | %.1f | %.0f | %.1fx |%n", row.variant(), row.phase().label,
					row.calls(), row.errors(), (row.calls() > 0) ? 100.0 * row.errors() / row.calls() : 0.0,
					(row.notSent() > 0) ? ", " + row.notSent() + " not sent" : "", row.p50(), row.p99(), row.max(), row.p99() / healthy.p99()));
		}
		return out.toString();
	}

	/**
	 * The starter's targets, each with its measured figure.
	 * @return the lines
	 */
	List<String> targets() {
		List<String> lines = new ArrayList<>();
		List<PhaseRow> rows = phases();
		double budget = 2.0 * this.commandTimeout.toMillis();
		for (PhaseRow row : rows) {
			if (row.variant().equals("starter-2-async") && (row.phase() == Phase.STOPPED || row.phase() == Phase.HUNG)) {
				lines.add(String.format(Locale.ROOT, "%s: errors to callers %d (target 0): %s; p99 %.1f ms (target <= %.0f ms, 2 x command timeout): %s",
						row.phase().label, row.errors(), (row.errors() == 0) ? "met" : "NOT met", row.p99(), budget, (row.p99() <= budget) ? "met" : "NOT met"));
			}
		}
		if (this.events == null) {
			return lines;
		}
		// One breaker window: the calls it counts, at the offered rate, plus one command timeout for the last of them to fail.
		long window = 1000L * this.breakerWindow / this.settings.rate() + this.commandTimeout.toMillis();
		long[] at = this.events.faultAt();
		for (int fault : new int[] { 0, 2 }) {
			long opened = firstChange(at[fault], RegionState.OPEN);
			lines.add(String.format(Locale.ROOT, "%s: detection %s (target <= one breaker window, %d calls at %d calls/s + one timeout = %d ms): %s",
					(fault == 0) ? "stop" : "hang", ms(opened, at[fault]), this.breakerWindow, this.settings.rate(), window,
					(opened >= 0 && opened - at[fault] <= window) ? "met" : "NOT met"));
		}
		return lines;
	}

	/**
	 * Writes the timeline as CSV.
	 * @param file the file
	 */
	void writeCsv(Path file) throws IOException {
		StringBuilder csv = new StringBuilder("second,variant,phase,calls,errors,p50_ms,p99_ms,max_ms\n");
		for (SecondRow row : timeline()) {
			csv.append(String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%.2f,%.2f,%.2f%n", row.second(), row.variant(), row.phase().name().toLowerCase(Locale.ROOT),
					row.calls(), row.errors(), row.p50(), row.p99(), row.max()));
		}
		Files.createDirectories(file.getParent());
		Files.writeString(file, csv);
	}

	/**
	 * Draws the timeline: p99 latency per second (log scale) above errors per second, with the
	 * phases marked.
	 * @param file the PNG file
	 */
	void writeChart(Path file) throws IOException {
		drawChart(timeline(), this.variants.stream().map(Variant::name).toList(), file);
	}

	/**
	 * Draws the chart again from a timeline CSV written by {@link #writeCsv}.
	 * @param csv the CSV file
	 * @param file the PNG file
	 */
	static void redraw(Path csv, Path file) throws IOException {
		List<SecondRow> rows = new ArrayList<>();
		List<String> variants = new ArrayList<>();
		List<String> lines = Files.readAllLines(csv);
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",");
			if (!variants.contains(f[1])) {
				variants.add(f[1]);
			}
			rows.add(new SecondRow(f[1], Integer.parseInt(f[0]), Phase.valueOf(f[2].toUpperCase(Locale.ROOT)), Long.parseLong(f[3]),
					Long.parseLong(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7])));
		}
		drawChart(rows, variants, file);
	}

	/**
	 * Draws the timeline: p99 latency per second (log scale) above errors per second, with the
	 * phases marked.
	 */
	private static void drawChart(List<SecondRow> timeline, List<String> variants, Path file) throws IOException {
		// Phase boundaries, from the first variant's seconds.
		List<int[]> starts = new ArrayList<>();
		Phase previous = null;
		for (SecondRow row : timeline) {
			if (row.variant().equals(variants.get(0)) && row.phase() != previous) {
				starts.add(new int[] { row.second(), row.phase().ordinal() });
				previous = row.phase();
			}
		}
		StringBuilder phases = new StringBuilder("seconds; phases from:");
		for (int i = 0; i < starts.size(); i++) {
			phases.append(' ').append(starts.get(i)[0]).append(" s ").append(Phase.values()[starts.get(i)[1]].label)
				.append((i < starts.size() - 1) ? "," : "");
		}
		XYChart latency = chart("p99 latency per second through @Cacheable (ms, log scale)", "p99 ms", phases.toString());
		latency.getStyler().setYAxisLogarithmic(true);
		XYChart errors = chart("errors thrown to callers per second", "errors/s", phases.toString());
		for (String variant : variants) {
			List<SecondRow> rows = timeline.stream().filter((r) -> r.variant().equals(variant)).toList();
			double[] x = rows.stream().mapToDouble(SecondRow::second).toArray();
			latency.addSeries(variant, x, rows.stream().mapToDouble((r) -> Double.isNaN(r.p99()) ? 0.01 : Math.max(0.01, r.p99())).toArray())
				.setMarker(SeriesMarkers.NONE);
			errors.addSeries(variant, x, rows.stream().mapToDouble(SecondRow::errors).toArray()).setMarker(SeriesMarkers.NONE);
		}
		for (int[] start : starts) {
			for (XYChart chart : List.of(latency, errors)) {
				chart.addAnnotation(new org.knowm.xchart.AnnotationLine(start[0], true, false));
			}
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		List<IChart> charts = List.of(latency, errors);
		BitmapEncoder.saveBitmap(charts, 2, 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	private static XYChart chart(String title, String yTitle, String xTitle) {
		XYChart chart = new XYChartBuilder().width(1100).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
		chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
		chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
		chart.getStyler().setPlotGridLinesVisible(true);
		return chart;
	}

	void print() {
		System.out.println("[benchmark] failover timeline");
		System.out.println(table());
		starterFigures().forEach((line) -> System.out.println("[benchmark] starter " + line));
		targets().forEach((line) -> System.out.println("[benchmark] target " + line));
	}

}
