package io.github.resilientcache.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one anti-entropy run found and did.
 * @param regions the regions compared
 * @param keysChecked keys compared across the regions
 * @param divergent keys whose regions disagreed
 * @param repaired keys repaired
 * @param perCache divergent keys by cache name
 * @param duration how long the run took
 * @param finished when it finished
 * @param skipped why the run did nothing, or {@code null} when it ran
 * @param buckets key buckets whose digests were compared
 * @param differingBuckets buckets whose digests differed between regions (their keys were listed)
 * @param roundTrips calls to Redis the comparison made (digests and listings, not repairs)
 */
public record ReconciliationResult(java.util.List<String> regions, long keysChecked, long divergent, long repaired,
		Map<String, Long> perCache, Duration duration, Instant finished, @org.jspecify.annotations.Nullable String skipped, int buckets,
		int differingBuckets, long roundTrips) {

	/**
	 * A run that did nothing.
	 * @param regions the serving regions
	 * @param why why it did nothing
	 * @return the result
	 */
	public static ReconciliationResult skipped(java.util.List<String> regions, String why) {
		return new ReconciliationResult(regions, 0, 0, 0, Map.of(), Duration.ZERO, Instant.now(), why, 0, 0, 0);
	}

	/**
	 * The result shown while a run started on request is still going on.
	 * @return a result that says so
	 */
	public static ReconciliationResult running() {
		return skipped(java.util.List.of(), "still running in the background");
	}

	/**
	 * One line for logs and health.
	 * @return the summary
	 */
	public String describe() {
		if (this.skipped != null) {
			return "skipped: " + this.skipped;
		}
		return this.keysChecked + " keys checked across " + this.regions + " by digests of " + this.buckets + " buckets ("
				+ this.differingBuckets + " differing, " + this.roundTrips + " round trips), " + this.divergent + " divergent, "
				+ this.repaired + " repaired in " + this.duration.toMillis() + " ms";
	}

}
