package io.github.resilientcache.routing;

import java.util.List;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;

/**
 * Which regions may serve a read: in failover order (local first), only regions that are
 * {@link io.github.resilientcache.region.RegionState#UP UP} and that have not missed the latest
 * write of the key.
 */
public final class ReadRouter {

	private final Regions regions;

	private final ReplayJournal journal;

	public ReadRouter(Regions regions, ReplayJournal journal) {
		this.regions = regions;
		this.journal = journal;
	}

	/**
	 * The regions in failover order; check each with {@link #canServe} before reading from it.
	 * @return all regions, local first
	 */
	public List<Region> order() {
		return this.regions.all();
	}

	/**
	 * Whether a region may serve a read of a key now.
	 * @param region the region
	 * @param key the Redis key
	 * @return whether it is up and holds the latest write of the key as far as this instance knows
	 */
	public boolean canServe(Region region, String key) {
		return region.isServing() && !this.journal.isPending(region, key);
	}

}
