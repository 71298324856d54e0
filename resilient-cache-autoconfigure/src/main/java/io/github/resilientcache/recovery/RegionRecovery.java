package io.github.resilientcache.recovery;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLock;

/**
 * Brings a region back: {@code RECOVERING} while the writes it missed are repaired, then {@code UP}.
 * A region is read from again only after its reconciliation finished.
 * <p>
 * Each region's reconciliation runs on that region's own thread ({@code resilient-cache-recovery-
 * <region>}), never on the prober's thread or a request's: one slow replay holds back neither the
 * probes of other regions nor an HTTP call. One task per region runs at a time in this instance (a
 * request of a kind already queued joins it), and one reconciliation across the fleet: a Redisson lock in a
 * fixed place (the first serving region by name, the same for every instance), whose lease
 * Redisson's watchdog renews while this instance is alive and which it releases when done.
 */
public final class RegionRecovery {

	private static final Log logger = LogFactory.getLog(RegionRecovery.class);

	private static final long LOCK_WAIT_SECONDS = 2;

	private final Regions regions;

	private final JournalReplayer replayer;

	private final Map<String, ReplayResult> lastResults = new ConcurrentHashMap<>();

	private final Map<String, ReplayResult> lastResyncs = new ConcurrentHashMap<>();

	private final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<Boolean>> queued = new ConcurrentHashMap<>();

	private final Consumer<ReplayResult> listener;

	/**
	 * Creates the recovery.
	 * @param regions the regions
	 * @param replayer what replays a region's journal
	 * @param listener told of every replay's result, on the thread that ran it
	 */
	public RegionRecovery(Regions regions, JournalReplayer replayer, Consumer<ReplayResult> listener) {
		this.regions = regions;
		this.replayer = replayer;
		this.listener = listener;
	}

	/**
	 * Reconciles a reachable region on its recovery thread and makes it serve again.
	 * @param region a region that is {@code OPEN} or {@code RECOVERING}
	 * @param why why, e.g. "3 probes in a row succeeded"
	 * @param strict whether a journal that cannot be read whole (another region out) means a full
	 * resync, as for a region coming back from a failure; at start, what can be read is replayed
	 * and a region whose journal holder is out is not itself failed
	 * @return completes with whether the region serves
	 */
	public CompletableFuture<Boolean> recoverAsync(Region region, String why, boolean strict) {
		return submit(region, "recover", () -> recover(region, why, strict, false));
	}

	/**
	 * Finishes, on its recovery thread, the reconciliation of a region that is {@code RECOVERING}
	 * (an operator's bring-online cut short, say); a region that failed again meanwhile is left to
	 * the prober.
	 * @param region the region
	 * @return completes with whether the region serves
	 */
	CompletableFuture<Boolean> resumeAsync(Region region) {
		return submit(region, "resume", () -> (region.state() == RegionState.RECOVERING) ? recover(region, "reconciliation resumed", true, false)
				: region.isServing());
	}

	/**
	 * Reconciles, at start, a region that answered its first probe. Every region that answered is
	 * {@code RECOVERING} already, so that journals and entries are read from all of them; a region
	 * whose journal is held in a region that did not answer is resynced (it may have missed writes
	 * recorded there), never failed.
	 * @param region the region
	 * @return completes with whether the region serves
	 */
	CompletableFuture<Boolean> recoverAtStart(Region region) {
		return submit(region, "recover", () -> recover(region, "first probe succeeded", true, true));
	}

	/**
	 * Replays, on its recovery thread, the journal of a region that serves but missed some writes
	 * (a timeout, a full replication queue), without taking it out.
	 * @param region the region
	 * @return completes with whether it still serves
	 */
	public CompletableFuture<Boolean> drainAsync(Region region) {
		return submit(region, "drain", () -> {
			try {
				replayLocked(region, false, false);
			}
			catch (RuntimeException ex) {
				logger.warn("Draining the journal of region '" + region.name() + "' failed: " + Region.describe(Region.unwrap(ex)));
			}
			return region.isServing();
		});
	}

	/**
	 * Queues a task on the region's recovery thread. A request of a kind already queued (not yet
	 * started) joins it; otherwise it runs after what is running, so that it sees the state that
	 * work left (a recovery requested during a drain is not answered by the drain).
	 */
	private CompletableFuture<Boolean> submit(Region region, String kind, java.util.concurrent.Callable<Boolean> task) {
		String id = region.name() + "/" + kind;
		CompletableFuture<Boolean> created = new CompletableFuture<>();
		CompletableFuture<Boolean> queued = this.queued.putIfAbsent(id, created);
		if (queued != null) {
			return queued;
		}
		try {
			executor(region).execute(() -> {
				this.queued.remove(id, created);
				try {
					created.complete(task.call());
				}
				catch (Throwable ex) {
					created.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.queued.remove(id, created);
			created.complete(region.isServing());
		}
		return created;
	}

	private ExecutorService executor(Region region) {
		return this.executors.computeIfAbsent(region.name(),
				(name) -> this.regions.threads().single("resilient-cache-recovery-" + name, 4, true));
	}

	private boolean recover(Region region, String why, boolean strict, boolean atStart) {
		if (!region.beginRecovery(why) && region.state() != RegionState.RECOVERING) {
			return region.isServing();
		}
		try {
			ReplayResult result = replayLocked(region, strict, atStart);
			if (result == null) {
				region.abortRecovery("another instance is reconciling it; probed again");
				return false;
			}
			if (!result.complete()) {
				region.abortRecovery("reconciliation incomplete: " + result.describe());
				return false;
			}
			region.recovered("reconciled: " + result.describe());
			return region.isServing();
		}
		catch (RuntimeException ex) {
			region.abortRecovery("reconciliation failed: " + Region.describe(Region.unwrap(ex)));
			return false;
		}
	}

	private @Nullable ReplayResult replayLocked(Region region, boolean strict, boolean atStart) {
		Region holder = lockHolder(region);
		RLock lock = (holder != null) ? holder.direct().client().getLock(this.regions.keys().replayLock(region.name())) : null;
		boolean locked = false;
		try {
			// No lease: Redisson's watchdog renews the lock while this instance lives, however long
			// the replay takes, and lets it expire soon after this instance dies.
			locked = (lock == null) || lock.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS);
			if (!locked) {
				logger.debug("Another instance is replaying region '" + region.name() + "'");
				return null;
			}
			ReplayResult result = this.replayer.replay(region, strict, atStart ? Region::acceptsWrites : Region::isServing);
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
			if (locked && lock != null) {
				LockRelease.release(lock, "the replay lock of region '" + region.name() + "'");
			}
		}
	}

	/**
	 * Where the replay lock of a region lives: the first region by name, other than the target,
	 * that takes writes. Every instance picks the same one, whatever its local region.
	 */
	private @Nullable Region lockHolder(Region target) {
		return this.regions.all().stream()
			.filter((region) -> region != target && region.acceptsWrites())
			.min(Comparator.comparing(Region::name))
			.orElse(null);
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
		region.takeOffline(reason, false);
	}

	/**
	 * Brings a region back from maintenance: it is reconciled, on its recovery thread, before it
	 * serves again.
	 * @param region the region
	 * @param reason why, for logs and events
	 * @return completes with whether it serves
	 */
	public CompletableFuture<Boolean> bringOnline(Region region, String reason) {
		region.bringOnline(reason);
		return recoverAsync(region, reason, true);
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
