package io.github.resilientcache.replication;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The keys each region missed: a write or eviction it could not take (breaker open, error, timeout,
 * replication queue full). Records keys, not values, coalesced per key: replay makes the region
 * agree with a healthy one for each key, so order and repeats do not matter.
 * <p>
 * While a key is pending for a region, this instance does not read that key from it.
 */
public final class ReplayJournal {

	private static final Log logger = LogFactory.getLog(ReplayJournal.class);

	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	private final int maxPendingKeys;

	/**
	 * Creates the journal.
	 * @param regions the regions
	 * @param maxPendingKeys keys kept per region; past it the region needs a full resync
	 */
	public ReplayJournal(Regions regions, int maxPendingKeys) {
		this.maxPendingKeys = maxPendingKeys;
		regions.all().forEach((region) -> this.targets.put(region.name(), new Target()));
	}

	/**
	 * Records that a region missed a write of a key.
	 * @param region the region that missed it
	 * @param key the Redis key, or a {@link #clearMarker clear marker}
	 * @param reason why, for the log
	 */
	public void record(Region region, String key, String reason) {
		Target target = this.targets.get(region.name());
		target.recorded.increment();
		if (target.pending.size() >= this.maxPendingKeys && !target.pending.contains(key)) {
			if (target.overflowed.compareAndSet(false, true)) {
				logger.warn("Replay journal of region '" + region.name() + "' is full (" + this.maxPendingKeys
						+ " keys): the region will be resynced before it serves again");
			}
			return;
		}
		if (target.pending.add(key) && target.pending.size() == 1) {
			logger.warn("Region '" + region.name() + "' missed a write (" + reason + "); journaling its missed keys");
		}
	}

	/**
	 * Whether this instance knows that a region missed the latest write of a key.
	 * @param region the region
	 * @param key the Redis key
	 * @return whether reading the key from the region could return stale data
	 */
	public boolean isPending(Region region, String key) {
		Target target = this.targets.get(region.name());
		return !target.pending.isEmpty() && (target.overflowed.get() || target.pending.contains(key));
	}

	/**
	 * Number of keys journaled for a region and not replayed yet.
	 * @param region the region
	 * @return the depth
	 */
	public long depth(Region region) {
		return this.targets.get(region.name()).pending.size();
	}

	/**
	 * Number of missed writes recorded for a region since start (repeats of a key included).
	 * @param region the region
	 * @return the count
	 */
	public long recorded(Region region) {
		return this.targets.get(region.name()).recorded.sum();
	}

	/**
	 * Whether the journal of a region overflowed, so that it needs a full resync.
	 * @param region the region
	 * @return whether it overflowed
	 */
	public boolean overflowed(Region region) {
		return this.targets.get(region.name()).overflowed.get();
	}

	/**
	 * The journal entry of a clear of every key matching a pattern.
	 * @param pattern the glob pattern of the cleared keys
	 * @return the entry to record
	 */
	public static String clearMarker(String pattern) {
		return "clear:" + pattern;
	}

	private static final class Target {

		private final Set<String> pending = ConcurrentHashMap.newKeySet();

		private final AtomicBoolean overflowed = new AtomicBoolean();

		private final LongAdder recorded = new LongAdder();

	}

}
