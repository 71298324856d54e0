package io.github.resilientcache.recovery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.replication.ReplayJournal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLock;

/**
 * Brings a region back: {@code RECOVERING} while its journal is replayed (one application instance
 * at a time, under a Redisson lock held in a healthy region), then {@code UP}. A region is read from
 * again only after its reconciliation finished. Also takes regions offline and back for operators.
 */
public final class RegionRecovery {

	private static final Log logger = LogFactory.getLog(RegionRecovery.class);

	private final ReplayJournal journal;

	private final JournalReplayer replayer;

	private final String keyPrefix;

	private final Map<String, ReplayResult> lastResults = new ConcurrentHashMap<>();

	private final Map<String, ReplayResult> lastResyncs = new ConcurrentHashMap<>();

	private final Consumer<ReplayResult> listener;

	public RegionRecovery(ReplayJournal journal, JournalReplayer replayer, String keyPrefix) {
		this(journal, replayer, keyPrefix, (result) -> {
		});
	}

	/**
	 * Creates the recovery.
	 * @param journal the journal
	 * @param replayer what replays a region's journal
	 * @param keyPrefix the key prefix, for the replay lock
	 * @param listener told of every replay's result, on the thread that ran it
	 */
	public RegionRecovery(ReplayJournal journal, JournalReplayer replayer, String keyPrefix, Consumer<ReplayResult> listener) {
		this.journal = journal;
		this.replayer = replayer;
		this.keyPrefix = keyPrefix;
		this.listener = listener;
	}

	/**
	 * Reconciles a reachable region and makes it serve again.
	 * @param region a region that is {@code OPEN} or {@code RECOVERING}
	 * @param why why it is recovered, e.g. "3 probes succeeded"
	 * @return whether the region is {@code UP} now
	 */
	public boolean recover(Region region, String why) {
		if (region.state() == RegionState.OPEN) {
			region.transition(RegionState.OPEN, RegionState.RECOVERING, why);
		}
		if (region.state() != RegionState.RECOVERING) {
			return region.isServing();
		}
		try {
			ReplayResult result = replayLocked(region);
			if (result == null) {
				return false;
			}
			if (!result.complete()) {
				region.transition(RegionState.RECOVERING, RegionState.OPEN, "reconciliation incomplete: " + result.describe());
				return false;
			}
			region.transition(RegionState.RECOVERING, RegionState.UP, "reconciled: " + result.describe());
			// Another thread (the prober, an operator) may have finished the same recovery first.
			return region.isServing();
		}
		catch (RuntimeException ex) {
			region.transition(RegionState.RECOVERING, RegionState.OPEN, "reconciliation failed: " + Region.unwrap(ex));
			return false;
		}
	}

	/**
	 * Replays the journal of a region that serves but missed some writes (a timeout, a full
	 * replication queue), without taking it out.
	 * @param region the region
	 * @return the result, {@code null} if another instance holds the replay lock
	 */
	public @Nullable ReplayResult drain(Region region) {
		try {
			return replayLocked(region);
		}
		catch (RuntimeException ex) {
			logger.warn("Draining the journal of region '" + region.name() + "' failed: " + Region.unwrap(ex));
			return null;
		}
	}

	private @Nullable ReplayResult replayLocked(Region region) {
		Region holder = this.journal.holderFor(region);
		RLock lock = (holder != null) ? holder.store().client().getLock(this.keyPrefix + ":replay-lock:{" + region.name() + "}") : null;
		boolean locked = false;
		try {
			locked = (lock == null) || lock.tryLock(2, TimeUnit.SECONDS);
			if (!locked) {
				logger.debug("Another instance is replaying region '" + region.name() + "'");
				return null;
			}
			ReplayResult result = this.replayer.replay(region);
			this.lastResults.put(region.name(), result);
			if (result.resync()) {
				this.lastResyncs.put(region.name(), result);
			}
			if (result.keys() > 0 || result.resync()) {
				logger.info("Region '" + region.name() + "': " + result.describe());
			}
			notifyListener(result);
			return result;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		finally {
			if (locked && lock != null && lock.isHeldByCurrentThread()) {
				lock.unlock();
			}
		}
	}

	private void notifyListener(ReplayResult result) {
		try {
			this.listener.accept(result);
		}
		catch (RuntimeException ex) {
			logger.warn("Replay listener failed on region '" + result.region() + "'", ex);
		}
	}

	/**
	 * Takes a region out for maintenance: traffic drains to the others and its writes are journaled.
	 * @param region the region
	 * @param reason why, for logs and events
	 */
	public void takeOffline(Region region, String reason) {
		RegionState current;
		while ((current = region.state()) != RegionState.OFFLINE) {
			region.transition(current, RegionState.OFFLINE, reason);
		}
	}

	/**
	 * Brings a region back from maintenance: it is reconciled before it serves again.
	 * @param region the region
	 * @param reason why, for logs and events
	 * @return whether it serves now
	 */
	public boolean bringOnline(Region region, String reason) {
		if (region.state() == RegionState.OFFLINE) {
			region.transition(RegionState.OFFLINE, RegionState.RECOVERING, reason);
		}
		return recover(region, reason);
	}

	/**
	 * The last replay of a region.
	 * @param region the region name
	 * @return its result, {@code null} if it was never replayed
	 */
	public @Nullable ReplayResult lastResult(String region) {
		return this.lastResults.get(region);
	}

	/**
	 * The last full resync of a region.
	 * @param region the region name
	 * @return its result, {@code null} if it was never resynced
	 */
	public @Nullable ReplayResult lastResync(String region) {
		return this.lastResyncs.get(region);
	}

}
