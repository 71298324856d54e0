package io.github.resilientcache.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilientcache.fleet.FleetSnapshot.Cell;

/**
 * The newest snapshot of every instance heard from, in memory: what the fleet endpoint, the stream
 * and the incident coordinator read. Written by the telemetry thread only; read by any thread. An
 * instance whose newest snapshot is older than {@code staleAfter} is stale: shown as such, and left
 * out of quorums. Bounded: instances silent for ten times {@code staleAfter} are forgotten, and at
 * most {@link #MAX_INSTANCES} are held.
 */
public final class FleetView {

	static final int MAX_INSTANCES = 10_000;

	private final Map<String, FleetSnapshot> latest = new ConcurrentHashMap<>();

	private final Duration staleAfter;

	private final Clock clock;

	FleetView(Duration staleAfter, Clock clock) {
		this.staleAfter = staleAfter;
		this.clock = clock;
	}

	/**
	 * Keeps a snapshot if it is the newest of its instance.
	 * @return whether it was kept
	 */
	boolean offer(FleetSnapshot snapshot) {
		FleetSnapshot current = this.latest.get(snapshot.instance());
		if (current != null && (current.atMillis() > snapshot.atMillis()
				|| (current.atMillis() == snapshot.atMillis() && current.sequence() >= snapshot.sequence()))) {
			return false;
		}
		if (current == null && this.latest.size() >= MAX_INSTANCES) {
			return false;
		}
		this.latest.put(snapshot.instance(), snapshot);
		return true;
	}

	/**
	 * Forgets instances silent for ten times the stale delay.
	 */
	void prune() {
		long forgetBefore = this.clock.millis() - this.staleAfter.toMillis() * 10;
		this.latest.values().removeIf((snapshot) -> snapshot.atMillis() < forgetBefore);
	}

	boolean isStale(FleetSnapshot snapshot) {
		return this.clock.millis() - snapshot.atMillis() > this.staleAfter.toMillis();
	}

	/**
	 * The snapshots of instances that are not stale, by instance.
	 * @return the fresh snapshots
	 */
	List<FleetSnapshot> fresh() {
		return this.latest.values().stream().filter((snapshot) -> !isStale(snapshot)).toList();
	}

	/**
	 * The matrix instances x regions, instances sorted by local region then identity.
	 * @return every instance heard from, stale ones marked
	 */
	public List<InstanceRow> rows() {
		long now = this.clock.millis();
		List<InstanceRow> rows = new ArrayList<>();
		this.latest.values().stream()
			.sorted(Comparator.comparing(FleetSnapshot::localRegion).thenComparing(FleetSnapshot::instance))
			.forEach((snapshot) -> {
				Map<String, CellView> cells = new LinkedHashMap<>();
				snapshot.regions().forEach((region, cell) -> cells.put(region, CellView.of(cell)));
				rows.add(new InstanceRow(snapshot.instance(), snapshot.localRegion(), Instant.ofEpochMilli(snapshot.atMillis()).toString(),
						Math.max(now - snapshot.atMillis(), 0), isStale(snapshot), cells));
			});
		return rows;
	}

	/**
	 * One instance's row of the matrix.
	 * @param instance its identity
	 * @param localRegion the region it runs in
	 * @param lastSnapshot when its newest snapshot was taken (ISO-8601)
	 * @param ageMillis how old that snapshot is
	 * @param stale whether it is older than {@code resilient-cache.fleet.stale-after}: the instance
	 * is gone, or cannot reach any region this instance reads
	 * @param regions its view of each region
	 */
	public record InstanceRow(String instance, String localRegion, String lastSnapshot, long ageMillis, boolean stale,
			Map<String, CellView> regions) {
	}

	/**
	 * One cell of the matrix.
	 * @param state UP, OPEN, RECOVERING or OFFLINE, as that instance sees the region
	 * @param breaker the instance's breaker of the region
	 * @param failureRate its failure rate in percent, -1 until its window holds enough calls
	 * @param slowCallRate its slow-call rate likewise
	 * @param p99Millis 99th percentile of the latency of the instance's calls the region answered in
	 * the instance's last interval, in milliseconds (the upper bound of its histogram bucket); -1 when
	 * unknown: no call, or no latency histogram (see {@code resilient-cache.fleet} in the docs)
	 * @param callsPerSecond calls of the instance the region answered per second in that interval; -1 when unknown
	 * @param journalDepth keys the instance journaled for the region
	 * @param since when the region entered its state for that instance (ISO-8601)
	 * @param reason why
	 */
	public record CellView(String state, String breaker, float failureRate, float slowCallRate, float p99Millis, float callsPerSecond,
			long journalDepth, String since, String reason) {

		static CellView of(Cell cell) {
			return new CellView(cell.state().name(), cell.breaker(), cell.failureRate(), cell.slowCallRate(), cell.p99Millis(),
					cell.callsPerSecond(), cell.journalDepth(), Instant.ofEpochMilli(cell.sinceMillis()).toString(), cell.reason());
		}

	}

}
