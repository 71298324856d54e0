package io.github.resilientcache.actuate;

import java.util.List;
import java.util.Map;

import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.fleet.FleetTelemetry.IncidentView;
import io.github.resilientcache.fleet.FleetTelemetry.TimelineEvent;
import io.github.resilientcache.fleet.FleetView.InstanceRow;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;

/**
 * The fleet as {@code /actuator/resilientcache/fleet} and the fleet stream show it: the matrix of
 * instances x regions (each cell the region's state, breaker and rates as that instance sees it,
 * stale instances marked), the incidents and their timeline. Read from memory only.
 * @param instance this instance
 * @param leader whether this instance leads the fleet's incidents
 * @param regions the configured regions, the matrix's columns
 * @param instances the matrix's rows, one per instance heard from
 * @param incidents open incidents, and closed ones in their cool-down, by region
 * @param timeline the last incident events this instance saw, oldest first
 */
public record FleetDescriptor(String instance, boolean leader, List<String> regions, List<InstanceRow> instances,
		Map<String, IncidentView> incidents, List<TimelineEvent> timeline) {

	static FleetDescriptor of(FleetTelemetry telemetry, Regions regions) {
		return new FleetDescriptor(telemetry.instanceId(), telemetry.isLeader(), regions.all().stream().map(Region::name).sorted().toList(),
				telemetry.view().rows(), telemetry.incidents(), telemetry.timeline());
	}

}
