package io.github.resilientcache.replication;

import java.util.List;

/**
 * Which regions held a write when a call at the {@link ReplicationMode#QUORUM quorum} or
 * {@link ReplicationMode#ALL all} level returned.
 * @param level the level of the write ({@code SYNC} read as {@code ALL})
 * @param required acknowledgements the level asks for, the first region's included
 * @param acknowledged regions that held the write when the call returned, the first one first
 * @param journaled regions that could not take it in the budget (failed over, offline, failed or too
 * slow) and have it in their journal, repaired when they recover
 * @param pending regions still being written in the background when the call returned (a quorum
 * was reached without them); any that fails is journaled then
 */
public record Acknowledgements(ReplicationMode level, int required, List<String> acknowledged, List<String> journaled,
		List<String> pending) {

	/**
	 * Whether as many regions acknowledged as the level asks for.
	 * @return {@code true} when the caller's promise holds, {@code false} for a shortfall
	 */
	public boolean met() {
		return this.acknowledged.size() >= this.required;
	}

	@Override
	public String toString() {
		return this.level.name().toLowerCase() + " " + this.acknowledged.size() + "/" + this.required + " acknowledged " + this.acknowledged
				+ ", journaled " + this.journaled + ", pending " + this.pending;
	}

}
