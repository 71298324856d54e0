package io.github.resilientcache.recovery;

import java.time.Instant;

/**
 * Outcome of one failback probe of a region.
 * @param region the region
 * @param success whether the region answered PING and the canary write and read
 * @param consecutiveSuccesses successes in a row so far
 * @param message what failed, or "ok"
 * @param at when
 */
public record ProbeResult(String region, boolean success, int consecutiveSuccesses, String message, Instant at) {
}
