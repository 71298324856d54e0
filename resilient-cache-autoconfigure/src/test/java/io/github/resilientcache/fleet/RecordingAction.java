package io.github.resilientcache.fleet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recovery action that records what it was given, shared by every instance of a test, so that a
 * test counts invocations across the fleet.
 */
final class RecordingAction implements RegionRecoveryAction {

	private final List<RegionIncident> incidents;

	private final String instance;

	RecordingAction(List<RegionIncident> incidents, String instance) {
		this.incidents = incidents;
		this.instance = instance;
	}

	static List<RegionIncident> shared() {
		return new CopyOnWriteArrayList<>();
	}

	@Override
	public void regionFailed(RegionIncident incident) {
		this.incidents.add(incident);
	}

	@Override
	public void regionRecovered(RegionIncident incident) {
		this.incidents.add(incident);
	}

	static long count(List<RegionIncident> incidents, RegionIncident.Phase phase) {
		return incidents.stream().filter((incident) -> incident.phase() == phase).count();
	}

	@Override
	public String toString() {
		return "RecordingAction of " + this.instance;
	}

}
