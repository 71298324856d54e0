package io.github.resilientcache.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.resilientcache.benchmarks.PeakBenchmark.Change;
import io.github.resilientcache.benchmarks.PeakBenchmark.Phase;
import io.github.resilientcache.benchmarks.PeakBenchmark.Settings;
import io.github.resilientcache.benchmarks.PeakBenchmark.StarterSecond;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The load peak's figures: per variant and second (CSV and chart) and per phase (table), with the
 * starter's replication and journal depths and any change of its regions' states.
 */
final class PeakResult {

	private final Settings settings;

	private final int baseRate;

	private final List<Double> capacities;

	private final List<Timeline> timelines;

	PeakResult(Settings settings, int baseRate, List<Double> capacities, List<Timeline> timelines) {
		this.settings = settings;
		this.baseRate = baseRate;
		this.capacities = capacities;
		this.timelines = timelines;
	}

	/**
	 * One variant's timeline.
	 * @param variant its name
	 * @param target its per-second buckets
	 * @param offered calls scheduled in each second
	 * @param starter the starter's samples, {@code null} for a plain manager
	 * @param changes the starter's region state changes
	 */
	record Timeline(String variant, FailoverLoad.Target target, long[] offered, StarterSecond @Nullable [] starter, List<Change> changes) {

	}

	/**
	 * One second of one variant.
	 * @param variant the variant
	 * @param second the second
	 * @param phase its phase
	 * @param offered calls scheduled
	 * @param calls calls completed
	 * @param errors calls that threw
	 * @param notSent calls not started (every pool thread busy)
	 * @param p50 median latency, ms
	 * @param p99 99th percentile, ms
	 * @param max longest, ms
	 * @param starter the starter's sample, {@code null} for a plain manager
	 */
	record SecondRow(String variant, int second, Phase phase, long offered, long calls, long errors, long notSent, double p50, double p99, double max,
			@Nullable StarterSecond starter) {

		long served() {
			return this.calls - this.errors;
		}

	}

	/**
	 * One phase of one variant.
	 * @param variant the variant
	 * @param phase the phase
	 * @param offered calls scheduled
	 * @param calls calls completed
	 * @param errors calls that threw
	 * @param notSent calls not started
	 * @param p50 median latency, ms
	 * @param p99 99th percentile, ms
	 * @param max longest, ms
	 * @param maxInFlight the starter's most replications in flight, -1 for a plain manager
	 * @param maxJournalDepth the starter's deepest journal, -1 for a plain manager
	 */
	record PhaseRow(String variant, Phase phase, long offered, long calls, long errors, long notSent, double p50, double p99, double max,
			long maxInFlight, long maxJournalDepth) {

	}

	int baseRate() {
		return this.baseRate;
	}

	List<Change> changes() {
		return this.timelines.stream().flatMap((timeline) -> timeline.changes().stream()).toList();
	}

	List<SecondRow> timeline() {
		List<SecondRow> rows = new ArrayList<>();
		for (Timeline timeline : this.timelines) {
			for (int second = 0; second < this.settings.seconds(); second++) {
				FailoverLoad.Second bucket = timeline.target().seconds()[second];
				double[] p = FailoverLoad.percentiles(bucket.latencies());
				rows.add(new SecondRow(timeline.variant(), second, this.settings.phaseAt(second), timeline.offered()[second], bucket.calls(),
						bucket.errors(), bucket.notSentCount(), p[0], p[1], p[2], (timeline.starter() != null) ? timeline.starter()[second] : null));
			}
		}
		return rows;
	}

	List<PhaseRow> phases() {
		List<PhaseRow> rows = new ArrayList<>();
		for (Timeline timeline : this.timelines) {
			for (Phase phase : Phase.values()) {
				List<long[]> latencies = new ArrayList<>();
				long offered = 0;
				long calls = 0;
				long errors = 0;
				long notSent = 0;
				long inFlight = -1;
				long depth = -1;
				for (int second = 0; second < this.settings.seconds(); second++) {
					if (this.settings.phaseAt(second) != phase) {
						continue;
					}
					FailoverLoad.Second bucket = timeline.target().seconds()[second];
					latencies.add(bucket.latencies());
					offered += timeline.offered()[second];
					calls += bucket.calls();
					errors += bucket.errors();
					notSent += bucket.notSentCount();
					StarterSecond sample = (timeline.starter() != null) ? timeline.starter()[second] : null;
					if (sample != null) {
						inFlight = Math.max(inFlight, sample.inFlight());
						depth = Math.max(depth, sample.journalDepth());
					}
				}
				double[] p = FailoverLoad.percentiles(FailoverLoad.concat(latencies));
				rows.add(new PhaseRow(timeline.variant(), phase, offered, calls, errors, notSent, p[0], p[1], p[2], inFlight, depth));
			}
		}
		return rows;
	}

	String table() {
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "1x = %,d calls/s, 10x = %,d calls/s (%s); %d s + %d s + %d s; "
				+ "90%% @Cacheable reads of %,d accounts, 10%% @CachePut, 1 ms system of record; latency from each call's scheduled time%n%n",
				this.baseRate, this.baseRate * this.settings.multiplier(), capacityNote(), this.settings.leadSeconds(), this.settings.peakSeconds(),
				this.settings.tailSeconds(), PeakBenchmark.ACCOUNTS));
		out.append("| variant | phase | offered/s | served/s | errors | not sent | p50 ms | p99 ms | max ms | p99 / lead-in p99 "
				+ "| replication in flight (max) | journal depth (max) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		List<PhaseRow> rows = phases();
		for (PhaseRow row : rows) {
			PhaseRow lead = rows.stream().filter((r) -> r.variant().equals(row.variant()) && r.phase() == Phase.LEAD_IN).findFirst().orElseThrow();
			int seconds = (int) this.timeline().stream().filter((r) -> r.variant().equals(row.variant()) && r.phase() == row.phase()).count();
			out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %.2f | %.2f | %.1f | %.1fx | %s | %s |%n", row.variant(),
					row.phase().label, row.offered() / seconds, (row.calls() - row.errors()) / seconds, row.errors(), row.notSent(), row.p50(), row.p99(),
					row.max(), row.p99() / lead.p99(), (row.maxInFlight() >= 0) ? row.maxInFlight() : "-",
					(row.maxJournalDepth() >= 0) ? row.maxJournalDepth() : "-"));
		}
		return out.toString();
	}

	private String capacityNote() {
		if (this.capacities.isEmpty()) {
			return "rate given";
		}
		StringBuilder note = new StringBuilder("10x = " + Math.round(PeakBenchmark.PEAK_SHARE_OF_CAPACITY * 100)
				+ "% of the slowest closed-loop capacity measured first, 8 callers:");
		for (int i = 0; i < this.capacities.size(); i++) {
			note.append(String.format(Locale.ROOT, " %s %,.0f/s", this.timelines.get(i).variant(), this.capacities.get(i)));
		}
		return note.toString();
	}

	/**
	 * The starter's regions during the peak: no change, or each change with what its breaker saw and
	 * the setting a user would change.
	 * @return the lines
	 */
	List<String> regionFigures() {
		List<String> lines = new ArrayList<>();
		List<Change> changes = changes();
		if (changes.isEmpty()) {
			lines.add("no region changed state during the load (no failover by load alone)");
		}
		for (Change change : changes) {
			lines.add(String.format(Locale.ROOT, "region %s -> %s at t=%,d ms (%s): %s", change.region(), change.to(), change.atMillis(),
					this.settings.phaseAt((int) (change.atMillis() / 1000)).label, change.reason()));
			if (change.to() == io.github.resilientcache.region.RegionState.OPEN && change.reason().startsWith("circuit breaker opened")) {
				lines.add("  " + advice(change));
			}
		}
		return lines;
	}

	/**
	 * What a user would change, from the rates the breaker saw against its thresholds.
	 */
	static String advice(Change change) {
		float failures = rate(change.reason(), "failure rate ");
		float slow = rate(change.reason(), "slow-call rate ");
		List<String> advice = new ArrayList<>();
		if (failures >= change.failureThreshold()) {
			advice.add(String.format(Locale.ROOT, "failed calls %.0f%% >= %.0f%% (command timeouts of a starved client): raise "
					+ "resilient-cache.regions.%s.timeout (default 200ms)", failures, change.failureThreshold(), change.region()));
		}
		if (slow >= change.slowThreshold()) {
			advice.add(String.format(Locale.ROOT, "slow calls %.0f%% >= %.0f%%: raise resilient-cache.circuit-breaker.slow-call-duration-threshold "
					+ "(default 150ms) or slow-call-rate-threshold", slow, change.slowThreshold()));
		}
		return advice.isEmpty() ? "the breaker's rates were not kept with the change" : "the breaker saw " + String.join("; ", advice);
	}

	private static float rate(String reason, String label) {
		int at = reason.indexOf(label);
		if (at < 0) {
			return -1;
		}
		int end = reason.indexOf('%', at);
		try {
			return Float.parseFloat(reason.substring(at + label.length(), end));
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	void writeCsv(Path file) throws IOException {
		StringBuilder csv = new StringBuilder(
				"second,variant,phase,offered,calls,errors,not_sent,p50_ms,p99_ms,max_ms,replication_in_flight,journal_depth,journaled,breaker_failure_rate,"
						+ "breaker_slow_call_rate,region_states\n");
		for (SecondRow row : timeline()) {
			StarterSecond s = row.starter();
			csv.append(String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%d,%d,%.2f,%.2f,%.2f,%s,%s,%s,%s,%s,%s%n", row.second(), row.variant(),
					row.phase().name().toLowerCase(Locale.ROOT), row.offered(), row.calls(), row.errors(), row.notSent(), row.p50(), row.p99(), row.max(),
					(s != null) ? s.inFlight() : "", (s != null) ? s.journalDepth() : "", (s != null) ? s.journalRecorded() : "",
					(s != null) ? String.format(Locale.ROOT, "%.0f", s.failureRate()) : "",
					(s != null) ? String.format(Locale.ROOT, "%.0f", s.slowCallRate()) : "", (s != null) ? s.states() : ""));
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, csv);
	}

	/**
	 * Draws the timeline: p99 per second (log scale), calls served per second, and the starter's
	 * replications in flight and journal depth, with the step marked.
	 * @param file the PNG file
	 */
	void writeChart(Path file) throws IOException {
		String xTitle = String.format(Locale.ROOT, "seconds; %,d calls/s, %,d calls/s from %d s to %d s", this.baseRate,
				this.baseRate * this.settings.multiplier(), this.settings.leadSeconds(), this.settings.leadSeconds() + this.settings.peakSeconds());
		XYChart latency = chart("p99 latency per second through @Cacheable (ms, log scale)", "p99 ms", xTitle);
		latency.getStyler().setYAxisLogarithmic(true);
		XYChart served = chart("calls served per second (errors thrown to callers are not served)", "calls/s", xTitle);
		XYChart starter = chart("starter: most replications to west in flight, deepest journal of west, per second", "count", xTitle);
		List<SecondRow> all = timeline();
		boolean offeredDrawn = false;
		// One colour per variant in every panel.
		Color[] colours = { new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x9467bd), new Color(0x2ca02c) };
		int index = 0;
		for (Timeline timeline : this.timelines) {
			Color colour = colours[index++ % colours.length];
			List<SecondRow> rows = all.stream().filter((r) -> r.variant().equals(timeline.variant())).toList();
			double[] x = rows.stream().mapToDouble(SecondRow::second).toArray();
			latency.addSeries(timeline.variant(), x, rows.stream().mapToDouble((r) -> Double.isNaN(r.p99()) ? 0.01 : Math.max(0.01, r.p99())).toArray())
				.setMarker(SeriesMarkers.NONE)
				.setLineColor(colour);
			if (!offeredDrawn) {
				served.addSeries("offered", x, rows.stream().mapToDouble(SecondRow::offered).toArray())
					.setMarker(SeriesMarkers.NONE)
					.setLineColor(Color.LIGHT_GRAY)
					.setLineWidth(4);
				offeredDrawn = true;
			}
			served.addSeries(timeline.variant(), x, rows.stream().mapToDouble(SecondRow::served).toArray()).setMarker(SeriesMarkers.NONE).setLineColor(colour);
			if (timeline.starter() != null) {
				starter.addSeries("replication in flight", x, rows.stream().mapToDouble((r) -> (r.starter() != null) ? r.starter().inFlight() : 0).toArray())
					.setMarker(SeriesMarkers.NONE)
					.setLineColor(colour);
				starter.addSeries("journal depth", x, rows.stream().mapToDouble((r) -> (r.starter() != null) ? r.starter().journalDepth() : 0).toArray())
					.setMarker(SeriesMarkers.NONE)
					.setLineColor(Color.RED);
			}
		}
		for (XYChart chart : List.of(latency, served, starter)) {
			chart.addAnnotation(new AnnotationLine(this.settings.leadSeconds(), true, false));
			chart.addAnnotation(new AnnotationLine(this.settings.leadSeconds() + this.settings.peakSeconds(), true, false));
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		List<IChart> charts = List.of(latency, served, starter);
		BitmapEncoder.saveBitmap(charts, 3, 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	private static XYChart chart(String title, String yTitle, String xTitle) {
		XYChart chart = new XYChartBuilder().width(1100).height(360).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
		chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
		chart.getStyler().setChartBackgroundColor(Color.WHITE);
		chart.getStyler().setPlotGridLinesVisible(true);
		return chart;
	}

	void print() {
		System.out.println("[benchmark] load peak");
		System.out.println(table());
		regionFigures().forEach((line) -> System.out.println("[benchmark] starter " + line));
	}

}
