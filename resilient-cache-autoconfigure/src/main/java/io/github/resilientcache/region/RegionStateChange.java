package io.github.resilientcache.region;

import java.time.Instant;

/**
 * One change of a region's state.
 * @param region the region's name
 * @param from the state it left
 * @param to the state it entered
 * @param reason why
 * @param at when
 */
public record RegionStateChange(String region, RegionState from, RegionState to, String reason, Instant at) {

	/**
	 * One log line: region, old state, new state and reason.
	 * @return the description
	 */
	public String describe() {
		return "Region '" + this.region + "' " + this.from + " -> " + this.to + ": " + this.reason;
	}

}
