package io.github.resilientcache.recovery;

import java.time.Instant;

/**
 * Outcome of one probe of a region.
 * @param region the region
 * @param success whether the region answered DBSIZE, the canary write and read, and its run ids
 * @param consecutiveSuccesses successes in a row so far
 * @param message what failed, or "ok"
 * @param at when
 * @param restarted whether a master restarted since the previous probe (the region then needs a
 * full resync)
 * @param inconclusive whether the probe failed in this client (a command not written in time by a
 * CPU-starved process): it does not count against the region
 */
public record ProbeResult(String region, boolean success, int consecutiveSuccesses, String message, Instant at, boolean restarted,
		boolean inconclusive) {
}
