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
 */
public record ReconciliationResult(java.util.List<String> regions, long keysChecked, long divergent, long repaired,
		Map<String, Long> perCache, Duration duration, Instant finished, @org.jspecify.annotations.Nullable String skipped) {

	/**
	 * One line for logs and health.
	 * @return the summary
	 */
	public String describe() {
		if (this.skipped != null) {
			return "skipped: " + this.skipped;
		}
		return this.keysChecked + " keys checked across " + this.regions + ", " + this.divergent + " divergent, " + this.repaired
				+ " repaired in " + this.duration.toMillis() + " ms";
	}

}
