package io.github.resilientcache.recovery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one replay of a region's journal did.
 * @param region the region replayed
 * @param resync whether the region was fully resynced (its journal had overflowed)
 * @param keys keys replayed
 * @param copied keys copied from a healthy region
 * @param deleted keys deleted in the region (no healthy region holds them)
 * @param failed keys that could not be replayed and were journaled again
 * @param duration how long it took
 * @param finished when it finished
 */
public record ReplayResult(String region, boolean resync, long keys, long copied, long deleted, long failed, Duration duration,
		Instant finished) {

	/**
	 * Whether the region now agrees with the healthy regions for every journaled key.
	 * @return whether nothing failed
	 */
	public boolean complete() {
		return this.failed == 0;
	}

	/**
	 * Keys replayed per second.
	 * @return the rate
	 */
	public double rate() {
		double seconds = this.duration.toNanos() / 1e9;
		return (seconds > 0) ? this.keys / seconds : this.keys;
	}

	/**
	 * One line for logs and health.
	 * @return the summary
	 */
	public String describe() {
		if (this.resync) {
			return "full resync (journal overflowed or a server restarted) in " + this.duration.toMillis() + " ms";
		}
		return this.keys + " keys replayed (" + this.copied + " copied, " + this.deleted + " deleted, " + this.failed + " failed) in "
				+ this.duration.toMillis() + " ms";
	}

}
