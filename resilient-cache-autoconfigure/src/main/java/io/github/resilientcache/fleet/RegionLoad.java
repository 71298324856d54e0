package io.github.resilientcache.fleet;

import java.util.Map;

/**
 * The load this instance put on a region since the previous snapshot, as the fleet telemetry
 * publishes it: the 99th percentile of the cache operations' latency and the calls per second.
 * @param p99Millis 99th percentile of the latency of the operations the region answered, in
 * milliseconds; -1 when unknown (no call, or nothing records a latency histogram)
 * @param callsPerSecond operations the region answered per second; -1 when unknown (nothing counts
 * them)
 */
public record RegionLoad(float p99Millis, float callsPerSecond) {

	/**
	 * Nothing known.
	 */
	public static final RegionLoad UNKNOWN = new RegionLoad(-1, -1);

	/**
	 * Reads what the starter already recorded of each region's calls. Called once per snapshot on the
	 * telemetry thread, never on a request path: it must read existing measurements, not add any.
	 */
	@FunctionalInterface
	public interface Source {

		/**
		 * Knows nothing: the telemetry publishes -1 for latency and calls per second.
		 */
		Source NONE = Map::of;

		/**
		 * The load of each region since the previous call; a region left out is {@link #UNKNOWN}.
		 * @return the loads by region name
		 */
		Map<String, RegionLoad> sample();

	}

}
