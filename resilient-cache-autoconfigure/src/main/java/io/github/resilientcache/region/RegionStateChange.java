package io.github.resilientcache.region;

import java.time.Instant;

/**
 * One change of a region's state.
 * @param region the region's name
 * @param from the state it left
 * @param to the state it entered
 * @param reason why
 * @param at when
 * @param remote whether another application instance reported it (this instance only applied it)
 */
public record RegionStateChange(String region, RegionState from, RegionState to, String reason, Instant at, boolean remote) {

	public RegionStateChange(String region, RegionState from, RegionState to, String reason, Instant at) {
		this(region, from, to, reason, at, false);
	}

	/**
	 * One log line: region, old state, new state and reason.
	 * @return the description
	 */
	public String describe() {
		return "Region '" + this.region + "' " + this.from + " -> " + this.to + ": " + this.reason;
	}

}
