package io.github.resilientcache.recovery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one replay of a region's journal did.
 * @param region the region replayed
 * @param resync whether the region was resynced from a healthy peer (its journal could not be trusted)
 * @param keys journal records replayed
 * @param copied keys copied from a healthy region (by the resync and the replay)
 * @param deleted keys deleted in the region (no healthy region holds them, or no region took the write)
 * @param failed keys that could not be replayed and were journaled again
 * @param peerKeys entries of the peer a resync copied from (0 without a resync)
 * @param duration how long it took
 * @param finished when it finished
 */
public record ReplayResult(String region, boolean resync, long keys, long copied, long deleted, long failed, long peerKeys,
		Duration duration, Instant finished) {

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
		long work = this.resync ? this.peerKeys + this.keys : this.keys;
		return (seconds > 0) ? work / seconds : work;
	}

	/**
	 * One line for logs and health.
	 * @return the summary
	 */
	public String describe() {
		if (this.resync) {
			return "resync from a healthy peer (" + this.peerKeys + " peer entries, " + this.copied + " copied, " + this.deleted + " deleted, "
					+ this.keys + " journal records replayed, " + this.failed + " failed) in " + this.duration.toMillis() + " ms";
		}
		return this.keys + " keys replayed (" + this.copied + " copied, " + this.deleted + " deleted, " + this.failed + " failed) in "
				+ this.duration.toMillis() + " ms";
	}

}
