package io.github.resilientcache.fleet;

import java.time.Instant;

import io.github.resilientcache.fleet.RegionIncident.Phase;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published on every instance of the fleet when it learns that a fleet incident opened (a quorum of
 * the reporting instances has seen a region failed for the threshold) or closed (a quorum sees it
 * serve again): at most once per instance and phase, on the telemetry thread. An instance learns it
 * from the incident's record in another region; one that cannot read that region for as long as the
 * record lasts does not learn it. The
 * {@link RegionRecoveryAction}s run once per fleet; this event is for what each instance does on its
 * own (an alert of its own, a log line, shedding work that needs the region). A listener that takes
 * long delays the next telemetry round: hand slow work to an executor ({@code @Async}).
 */
public class FleetIncidentEvent extends ApplicationEvent {

	private final String incidentId;

	private final String region;

	private final Phase phase;

	private final Instant openedAt;

	private final @Nullable Instant recoveredAt;

	private final boolean decidedHere;

	/**
	 * Creates the event.
	 * @param source what published it
	 * @param incidentId the incident's identity, the one the recovery actions receive
	 * @param region the region
	 * @param phase {@code FAILED} when the incident opened, {@code RECOVERED} when it closed
	 * @param openedAt when it opened
	 * @param recoveredAt when it closed, {@code null} while open
	 * @param decidedHere whether this instance, as the fleet's leader, opened or closed it (and
	 * invoked the recovery actions)
	 */
	public FleetIncidentEvent(Object source, String incidentId, String region, Phase phase, Instant openedAt, @Nullable Instant recoveredAt,
			boolean decidedHere) {
		super(source);
		Assert.hasText(incidentId, "'incidentId' must not be empty");
		Assert.hasText(region, "'region' must not be empty");
		Assert.notNull(phase, "'phase' must not be null");
		Assert.notNull(openedAt, "'openedAt' must not be null");
		this.incidentId = incidentId;
		this.region = region;
		this.phase = phase;
		this.openedAt = openedAt;
		this.recoveredAt = recoveredAt;
		this.decidedHere = decidedHere;
	}

	public String getIncidentId() {
		return this.incidentId;
	}

	public String getRegion() {
		return this.region;
	}

	public Phase getPhase() {
		return this.phase;
	}

	public Instant getOpenedAt() {
		return this.openedAt;
	}

	public @Nullable Instant getRecoveredAt() {
		return this.recoveredAt;
	}

	public boolean isDecidedHere() {
		return this.decidedHere;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[incident " + this.incidentId + ", region '" + this.region + "' " + this.phase
				+ (this.decidedHere ? ", decided here" : "") + "]";
	}

}
