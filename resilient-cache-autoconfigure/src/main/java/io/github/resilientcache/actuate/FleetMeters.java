package io.github.resilientcache.actuate;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * Every meter of the fleet telemetry and recovery actions ({@code resilient-cache.fleet.enabled}).
 * Counters read the telemetry's own counters, so they cost nothing; they count what this instance
 * did (incidents and actions on the leader only).
 */
public enum FleetMeters implements MeterDocumentation {

	/**
	 * Snapshots this instance published to at least one region.
	 */
	SNAPSHOTS_PUBLISHED("resilient.cache.fleet.snapshots.published", Meter.Type.COUNTER, "Snapshots this instance published to the fleet stream"),

	/**
	 * Snapshots that could not be written to a region.
	 */
	SNAPSHOTS_FAILED("resilient.cache.fleet.snapshots.failed", Meter.Type.COUNTER,
			"Snapshots this instance could not write to a region it saw serving (one per region and snapshot)"),

	/**
	 * Snapshots and incident records read back and rejected.
	 */
	SNAPSHOTS_REJECTED("resilient.cache.fleet.snapshots.rejected", Meter.Type.COUNTER,
			"Snapshots and incident records read from Redis and rejected: malformed, from the future, or not signed with the coordination secret"),

	/**
	 * Instances heard from whose newest snapshot is fresh.
	 */
	INSTANCES("resilient.cache.fleet.instances", Meter.Type.GAUGE, "Instances whose newest snapshot is not stale, this one included"),

	/**
	 * Incidents this instance opened, as leader.
	 */
	INCIDENTS_OPENED("resilient.cache.fleet.incidents.opened", Meter.Type.COUNTER, "Incidents this instance opened as the fleet's leader"),

	/**
	 * Incidents this instance closed, as leader.
	 */
	INCIDENTS_CLOSED("resilient.cache.fleet.incidents.closed", Meter.Type.COUNTER, "Incidents this instance closed as the fleet's leader"),

	/**
	 * Recovery action invocations, by result.
	 */
	ACTIONS("resilient.cache.fleet.actions", Meter.Type.COUNTER,
			"Recovery action invocations, by result: invoked (completed), failed (threw or could not start), rate-limited (incident deferred)",
			Tag.RESULT);

	private final String name;

	private final Meter.Type type;

	private final String description;

	private final KeyName[] keyNames;

	FleetMeters(String name, Meter.Type type, String description, KeyName... keyNames) {
		this.name = name;
		this.type = type;
		this.description = description;
		this.keyNames = keyNames;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Meter.Type getType() {
		return this.type;
	}

	@Override
	public KeyName[] getKeyNames() {
		return this.keyNames;
	}

	/**
	 * What the meter measures.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Tags of the fleet meters.
	 */
	public enum Tag implements KeyName {

		/**
		 * invoked, failed or rate-limited.
		 */
		RESULT("result");

		private final String key;

		Tag(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
