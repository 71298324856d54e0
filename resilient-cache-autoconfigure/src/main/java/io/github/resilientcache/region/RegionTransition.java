package io.github.resilientcache.region;

import java.util.EnumSet;
import java.util.Set;

import static io.github.resilientcache.region.RegionState.OFFLINE;
import static io.github.resilientcache.region.RegionState.OPEN;
import static io.github.resilientcache.region.RegionState.RECOVERING;
import static io.github.resilientcache.region.RegionState.UP;

/**
 * The region state machine as a table: every move a region may make, by name, with the states it
 * may leave and the state it enters. {@link Region} applies these and nothing else; nothing outside
 * the {@code region} package can set a state directly.
 * <pre>
 * transition        from                     to          who
 * FAIL              UP, RECOVERING           OPEN        breaker opened on command outcomes, or a confirming probe failed
 * BEGIN_RECOVERY    OPEN                     RECOVERING  the prober, after consecutive successful probes
 * RECOVERED         RECOVERING               UP          recovery, once reconciliation finished
 * ABORT_RECOVERY    RECOVERING               OPEN        recovery, when reconciliation failed or was incomplete
 * TAKE_OFFLINE      UP, OPEN, RECOVERING     OFFLINE     an operator (here, or on another instance)
 * BRING_ONLINE      OFFLINE                  RECOVERING  an operator here: reconciled before it serves
 * RELEASE           OFFLINE                  OPEN        an operator on another instance: probed and reconciled here
 * </pre>
 */
public enum RegionTransition {

	/**
	 * A confirmed failure: the breaker opened on command outcomes, or a confirming probe failed.
	 */
	FAIL(OPEN, UP, RECOVERING),

	/**
	 * Probes succeed: the region's missed writes are repaired before it serves.
	 */
	BEGIN_RECOVERY(RECOVERING, OPEN),

	/**
	 * Reconciliation finished: the region serves again.
	 */
	RECOVERED(UP, RECOVERING),

	/**
	 * Reconciliation failed or could not finish: back to probing.
	 */
	ABORT_RECOVERY(OPEN, RECOVERING),

	/**
	 * An operator takes the region out for maintenance.
	 */
	TAKE_OFFLINE(OFFLINE, UP, OPEN, RECOVERING),

	/**
	 * An operator on this instance brings the region back: it is reconciled at once.
	 */
	BRING_ONLINE(RECOVERING, OFFLINE),

	/**
	 * An operator on another instance brought the region back: this instance probes it itself.
	 */
	RELEASE(OPEN, OFFLINE);

	private final RegionState to;

	private final Set<RegionState> from;

	RegionTransition(RegionState to, RegionState first, RegionState... rest) {
		this.to = to;
		this.from = EnumSet.of(first, rest);
	}

	/**
	 * The state this transition enters.
	 * @return the target state
	 */
	public RegionState to() {
		return this.to;
	}

	/**
	 * Whether a region in the given state may make this transition.
	 * @param state the current state
	 * @return whether the move is allowed
	 */
	public boolean allowedFrom(RegionState state) {
		return this.from.contains(state);
	}

}
