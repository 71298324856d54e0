package io.github.resilientcache.sample.demo;

import java.time.Instant;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.sample.embedded.ServerState;
import org.jspecify.annotations.Nullable;

/**
 * A region as the demo shows it: the cache's view (state, why, since when) next to what its
 * embedded Redis server is doing.
 * @param name the region's name
 * @param local whether this instance runs in it
 * @param state the region's state in the cache: UP, OPEN, RECOVERING or OFFLINE
 * @param reason why it is in that state
 * @param since when it entered it
 * @param server what its embedded server is doing, null when the region is not embedded
 */
public record RegionView(String name, boolean local, String state, String reason, Instant since, @Nullable ServerState server) {

	static RegionView of(Region region, @Nullable ServerState server) {
		return new RegionView(region.name(), region.isLocal(), region.state().name(), region.stateReason(), region.stateSince(), server);
	}

}
