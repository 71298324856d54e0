package io.github.resilientcache.fleet;

/**
 * What to do when a region has failed for the fleet, e.g. ask the infrastructure to restart or
 * replace its Redis. Declare implementations as beans: with {@code resilient-cache.fleet.enabled},
 * each is invoked once per fleet (by the elected leader instance) when a quorum of the instances
 * reporting a region has seen it failed for longer than {@code resilient-cache.fleet.threshold},
 * and once more when a quorum sees it serve again.
 * <p>
 * Invoked on the starter's own thread ({@code resilient-cache-fleet-actions}), never on a request
 * or Redis thread, so that a slow action never blocks the cache; an exception is logged and counted
 * ({@code resilient.cache.fleet.actions{result=failed}}), not retried: retry inside the action if
 * it is safe. A leader that dies while an action runs is not followed by a second invocation
 * (at most once per incident), so make the action idempotent by {@link RegionIncident#id()} and
 * let it report its own failures.
 */
public interface RegionRecoveryAction {

	/**
	 * A region has failed for a quorum of the fleet.
	 * @param incident the incident, with the evidence
	 * @throws Exception if the action failed (logged and counted)
	 */
	void regionFailed(RegionIncident incident) throws Exception;

	/**
	 * The region of an incident serves again for a quorum of the fleet.
	 * @param incident the incident, with the instances that see it serve
	 * @throws Exception if the action failed (logged and counted)
	 */
	void regionRecovered(RegionIncident incident) throws Exception;

}
