package io.github.resilientcache.fleet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.resilientcache.fleet.RegionIncident.Phase;

import org.springframework.context.ApplicationListener;

/**
 * The {@link FleetIncidentEvent}s one application instance published, as a listener bean of its own.
 */
final class IncidentEvents implements ApplicationListener<FleetIncidentEvent> {

	private final List<FleetIncidentEvent> events = new CopyOnWriteArrayList<>();

	@Override
	public void onApplicationEvent(FleetIncidentEvent event) {
		this.events.add(event);
	}

	List<FleetIncidentEvent> of(String incidentId, Phase phase) {
		return this.events.stream().filter((event) -> event.getIncidentId().equals(incidentId) && event.getPhase() == phase).toList();
	}

}
