package io.github.resilientcache.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import org.jspecify.annotations.Nullable;

/**
 * One instance's view of every region at one moment, as published to the fleet stream:
 * {@code v2|instance|local|atMillis|sequence|cell;cell...[|signature]}, a cell being
 * {@code region,state,breaker,failureRate,slowCallRate,p99Millis,callsPerSecond,journalDepth,sinceMillis,reason}. Read back
 * from Redis, so parsed strictly and bounded: anything else, or unsigned or wrongly signed text when
 * a coordination secret is set, is not a snapshot.
 * @param instance the instance's identity
 * @param localRegion the region it runs in
 * @param atMillis when it was taken (the instance's wall clock)
 * @param sequence its number in the instance's series, so that a reader keeps the newest only
 * @param regions the instance's view of each region, in its failover order
 */
public record FleetSnapshot(String instance, String localRegion, long atMillis, long sequence, Map<String, Cell> regions) {

	static final int MAX_LENGTH = 16 * 1024;

	static final int MAX_REGIONS = 32;

	static final int MAX_REASON = 200;

	private static final String VERSION = "v2";

	private static final int CELL_FIELDS = 10;

	/** Bounds of what a cell may carry: an hour of latency, a billion calls per second. */
	private static final float MAX_P99_MILLIS = 3_600_000f;

	private static final float MAX_CALLS_PER_SECOND = 1e9f;

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

	/** The user-info part of a URI (redis://app:secret@host), never published. */
	private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)\\S*@");

	private static final Pattern BREAKER = Pattern.compile("[A-Z_]{1,20}");

	/**
	 * One instance's view of one region.
	 * @param state the region's state for that instance
	 * @param breaker its circuit breaker's state
	 * @param failureRate failure rate of the breaker's window in percent, -1 until it holds enough calls
	 * @param slowCallRate slow-call rate likewise
	 * @param p99Millis 99th percentile of the latency of the calls the region answered since the
	 * previous snapshot, in milliseconds; -1 when unknown (see {@link RegionLoad})
	 * @param callsPerSecond calls the region answered per second since the previous snapshot; -1 when unknown
	 * @param journalDepth keys journaled for the region that it has not received yet
	 * @param sinceMillis when the region entered its state
	 * @param reason why it is in that state (shortened, without separators)
	 */
	public record Cell(RegionState state, String breaker, float failureRate, float slowCallRate, float p99Millis, float callsPerSecond,
			long journalDepth, long sinceMillis, String reason) {

		/**
		 * Whether the instance has not confirmed the region reachable or unreachable since it
		 * started ({@link Region#isStarting()}): {@code OPEN}, but no evidence of a failure.
		 * @return whether the region is starting for that instance
		 */
		boolean starting() {
			return this.state == RegionState.OPEN && Region.STARTING.equals(this.reason);
		}

	}

	String encode(Signer signer) {
		List<String> cells = new ArrayList<>();
		this.regions.forEach((name, cell) -> cells.add(String.join(",", name, cell.state().name(), cell.breaker(),
				Float.toString(cell.failureRate()), Float.toString(cell.slowCallRate()), Float.toString(cell.p99Millis()),
				Float.toString(cell.callsPerSecond()), Long.toString(cell.journalDepth()),
				Long.toString(cell.sinceMillis()), clean(cell.reason()))));
		return signer.sign(String.join("|", VERSION, this.instance, this.localRegion, Long.toString(this.atMillis),
				Long.toString(this.sequence), String.join(";", cells)));
	}

	/**
	 * Parses a snapshot.
	 * @param text what was read
	 * @param signer checks the signature when a secret is set
	 * @return the snapshot, {@code null} if the text is not a well-formed and rightly signed snapshot
	 */
	static @Nullable FleetSnapshot parse(String text, Signer signer) {
		if (text.length() > MAX_LENGTH) {
			return null;
		}
		String body = signer.verify(text);
		if (body == null) {
			return null;
		}
		String[] parts = body.split("\\|", -1);
		if (parts.length != 6 || !VERSION.equals(parts[0]) || !NAME.matcher(parts[1]).matches() || !NAME.matcher(parts[2]).matches()) {
			return null;
		}
		try {
			long at = Long.parseLong(parts[3]);
			long sequence = Long.parseLong(parts[4]);
			String[] cells = parts[5].split(";", -1);
			if (at <= 0 || sequence < 0 || cells.length > MAX_REGIONS) {
				return null;
			}
			Map<String, Cell> regions = new LinkedHashMap<>();
			for (String text1 : cells) {
				String[] fields = text1.split(",", -1);
				if (fields.length != CELL_FIELDS || !NAME.matcher(fields[0]).matches() || !BREAKER.matcher(fields[2]).matches()
						|| fields[9].length() > MAX_REASON || regions.containsKey(fields[0])) {
					return null;
				}
				RegionState state = state(fields[1]);
				float failureRate = rate(fields[3]);
				float slowCallRate = rate(fields[4]);
				float p99 = measure(fields[5], MAX_P99_MILLIS);
				float callsPerSecond = measure(fields[6], MAX_CALLS_PER_SECOND);
				long depth = Long.parseLong(fields[7]);
				long since = Long.parseLong(fields[8]);
				if (state == null || Float.isNaN(failureRate) || Float.isNaN(slowCallRate) || Float.isNaN(p99) || Float.isNaN(callsPerSecond)
						|| depth < 0 || since < 0) {
					return null;
				}
				regions.put(fields[0], new Cell(state, fields[2], failureRate, slowCallRate, p99, callsPerSecond, depth, since, fields[9]));
			}
			return new FleetSnapshot(parts[1], parts[2], at, sequence, Collections.unmodifiableMap(regions));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * A reason as a cell carries it: without credentials, shortened, without the format's separators or control characters.
	 */
	static String clean(String reason) {
		if (reason.indexOf('@') >= 0) {
			reason = USER_INFO.matcher(reason).replaceAll("$1");
		}
		StringBuilder clean = new StringBuilder(Math.min(reason.length(), MAX_REASON));
		for (int i = 0; i < reason.length() && clean.length() < MAX_REASON; i++) {
			char c = reason.charAt(i);
			clean.append((c == '|' || c == ';' || c == ',' || Character.isISOControl(c)) ? ' ' : c);
		}
		return clean.toString();
	}

	private static float rate(String text) {
		float rate = Float.parseFloat(text);
		return (rate == -1f || (rate >= 0f && rate <= 100f)) ? rate : Float.NaN;
	}

	/**
	 * A measured latency as a cell may carry it: -1 when unknown, at most the bound every reader accepts.
	 */
	static float latency(float p99Millis) {
		return bounded(p99Millis, MAX_P99_MILLIS);
	}

	/**
	 * A measured rate of calls as a cell may carry it: -1 when unknown, at most the bound every reader accepts.
	 */
	static float callRate(float callsPerSecond) {
		return bounded(callsPerSecond, MAX_CALLS_PER_SECOND);
	}

	private static float bounded(float value, float max) {
		return (Float.isNaN(value) || value < 0) ? -1 : Math.min(value, max);
	}

	/** A latency or a rate: -1 (unknown) or from 0 to its bound; NaN for anything else. */
	private static float measure(String text, float max) {
		float value = Float.parseFloat(text);
		return (value == -1f || (value >= 0f && value <= max)) ? value : Float.NaN;
	}

	private static @Nullable RegionState state(String name) {
		for (RegionState state : RegionState.values()) {
			if (state.name().equals(name)) {
				return state;
			}
		}
		return null;
	}

}
