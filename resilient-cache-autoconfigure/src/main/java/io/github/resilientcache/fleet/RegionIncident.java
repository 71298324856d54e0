package io.github.resilientcache.fleet;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A region failed for a quorum of the fleet: what a {@link RegionRecoveryAction} receives.
 * @param id the incident's identity, the same in the failed and the recovered call, so that an
 * action can be idempotent
 * @param region the region
 * @param phase {@code FAILED} or {@code RECOVERED}
 * @param openedAt when the incident was opened
 * @param recoveredAt when it was reported recovered, {@code null} while failed
 * @param reportingInstances instances whose snapshots reported the region (not stale)
 * @param evidence what the instances that saw the region failed (or, on recovery, serving) saw
 */
public record RegionIncident(String id, String region, Phase phase, Instant openedAt, @Nullable Instant recoveredAt,
		int reportingInstances, List<Observation> evidence) {

	/**
	 * The phase of an incident.
	 */
	public enum Phase {

		/**
		 * A quorum sees the region failed.
		 */
		FAILED,

		/**
		 * A quorum sees the region serve again.
		 */
		RECOVERED

	}

	/**
	 * What one instance saw of the region.
	 * @param instance the instance
	 * @param localRegion the region it runs in
	 * @param state the region's state for it
	 * @param since when the region entered that state for it
	 * @param breaker its breaker's state
	 * @param failureRate its breaker's failure rate in percent, -1 until its window holds enough calls
	 * @param reason why
	 */
	public record Observation(String instance, String localRegion, String state, Instant since, String breaker, float failureRate,
			String reason) {
	}

}
