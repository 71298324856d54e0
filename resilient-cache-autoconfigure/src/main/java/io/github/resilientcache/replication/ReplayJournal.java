package io.github.resilientcache.replication;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.github.resilientcache.region.Pipeline;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.Version;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The keys each region missed: a write or eviction it could not take (breaker open, error, timeout,
 * replication queue full). Records keys, not values, coalesced per key: replay makes the region
 * agree with a healthy one for each key, so order and repeats do not matter.
 * <p>
 * Each record goes to a healthy region (a Redis hash per target region, see {@link JournalStore}),
 * so that it survives the crash of this instance, and to a bounded in-memory set, which is both the
 * fallback when no region can hold it and the filter that keeps this instance from reading a key
 * from a region that missed its latest write. A journal that overflows marks the region for a full
 * resync: it is never silently trusted.
 */
public final class ReplayJournal {

	private static final Log logger = LogFactory.getLog(ReplayJournal.class);

	private static final String CLEAR = "clear:";

	/** How long a record may wait for its batch: a burst of 100,000 takes a few seconds. */
	private static final long RECORD_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** Records saved per script call at shutdown. */
	private static final int SAVE_BATCH = 500;

	private final Regions regions;

	private final JournalStore store;

	private final int maxEntries;

	private final int memoryMaxEntries;

	private final String instanceId;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	private final LongAdder rejected = new LongAdder();

	/**
	 * Creates the journal.
	 * @param regions the regions
	 * @param store the Redis side of the journal
	 * @param maxEntries bound of each region's journal in Redis
	 * @param memoryMaxEntries bound of each region's journal in memory
	 * @param instanceId identity of this application instance, part of each record's token
	 */
	public ReplayJournal(Regions regions, JournalStore store, int maxEntries, int memoryMaxEntries, String instanceId) {
		this.regions = regions;
		this.store = store;
		this.maxEntries = maxEntries;
		this.memoryMaxEntries = memoryMaxEntries;
		this.instanceId = instanceId;
		regions.all().forEach((region) -> this.targets.put(region.name(), new Target()));
	}

	/**
	 * Records that a region missed a write of a key that another region took: replay copies the
	 * newest entry of the other regions. Never blocks: the Redis record is written asynchronously.
	 * @param region the region that missed it
	 * @param key the Redis key, or a {@link #clearMarker clear marker}
	 * @param reason why, for the log
	 */
	public void record(Region region, String key, @Nullable String reason) {
		record(region, key, Repair.COPY, null, reason);
	}

	/**
	 * Records that a region missed a write of a key.
	 * @param region the region that missed it
	 * @param key the Redis key, or a {@link #clearMarker clear marker}
	 * @param repair what replay does: copy the newest entry of the other regions, or delete the key
	 * (when no region took the write, no region holds its value, and an older one must not come back)
	 * @param version the version of the write, for a {@code DELETE}: the key is deleted unless it
	 * holds a newer one
	 * @param reason why, for the log
	 */
	public void record(Region region, String key, Repair repair, @Nullable Version version, @Nullable String reason) {
		Target target = this.targets.get(region.name());
		target.recorded.increment();
		long sequence = this.sequence.incrementAndGet();
		Pending entry = new Pending(sequence, repair, (repair == Repair.DELETE) ? version : null);
		Map<String, Pending> memory = key.startsWith(CLEAR) ? target.clears : target.pending;
		boolean kept = memory.containsKey(key) || memory.size() < this.memoryMaxEntries;
		if (kept) {
			memory.put(key, entry);
		}
		else if (!target.unreadable) {
			target.unreadable = true;
			logger.warn("Region '" + region.name() + "' missed more than " + this.memoryMaxEntries
					+ " keys: this instance reads nothing from it until it is reconciled");
		}
		if (target.loggedSinceReplay.compareAndSet(0, 1)) {
			logger.warn("Region '" + region.name() + "' missed a write (" + reason + "); journaling the keys it misses");
		}
		// Written to Redis every time, also for a key already pending here: another instance may have
		// replayed and removed the earlier record meanwhile.
		writeDurably(region, target, key, JournalToken.of(this.instanceId, sequence, entry.repair(), entry.version()), kept);
	}

	private void writeDurably(Region region, Target target, String key, String token, boolean kept) {
		Region holder = holderFor(region);
		if (holder == null) {
			if (!kept) {
				target.lost = true;
			}
			return;
		}
		if (target.onTheirWay.incrementAndGet() > this.maxEntries) {
			// More on their way than the journal can hold: the holder does not keep up (slow or hung).
			target.onTheirWay.decrementAndGet();
			if (!kept) {
				target.lost = true;
			}
			return;
		}
		appender(holder, region, target).submit(new JournalStore.Record(key, token), System.nanoTime() + RECORD_DEADLINE_NANOS).whenComplete((depth, ex) -> {
					target.onTheirWay.decrementAndGet();
					if (ex != null) {
						if (!kept) {
							target.lost = true;
						}
					}
					else if (depth < 0) {
						if (!target.durableOverflow) {
							logger.warn("Replay journal of region '" + region.name() + "' is full (" + this.maxEntries
									+ " keys): the region will be resynced before it serves again");
						}
						target.durableOverflow = true;
					}
					else {
						target.durableDepth = depth;
					}
				});
	}

	/**
	 * Where the records of a target go in a holder: records that find one on the wire leave
	 * together, as one script call, in the order they were made (one batch on the wire at a time).
	 * Background bookkeeping, not the holder's traffic: it goes around the holder's breaker, so that
	 * a burst of records (a busy region failing) can never fail the region that keeps them; the
	 * holder's own calls and probes say whether it serves. Bounded: a record not sent within
	 * {@link #RECORD_DEADLINE_NANOS} is not sent, and past {@code maxEntries} records on their way
	 * (a holder that does not keep up) a new one is not queued. A record that fails is still in this
	 * instance's memory, unless that overflowed, which marks the target for a resync.
	 */
	private Pipeline<JournalStore.Record, Long> appender(Region holder, Region region, Target target) {
		return target.appenders.computeIfAbsent(holder.name(), (name) -> {
			Function<List<JournalStore.Record>, CompletionStage<List<Long>>> all = (records) -> this.store
				.appendAll(holder.direct().client(), region.name(), records, this.maxEntries)
				.thenApply((depths) -> depths.stream().map((depth) -> ((Number) depth).longValue()).toList());
			return new Pipeline<>(1, (record) -> all.apply(List.of(record)).thenApply((depths) -> depths.get(0)), all);
		});
	}

	/**
	 * The region that holds the journal of a target: the first serving region other than it.
	 * @param target the target region
	 * @return the holder, {@code null} when no other region serves
	 */
	public @Nullable Region holderFor(Region target) {
		for (Region region : this.regions.all()) {
			if (region != target && region.isServing()) {
				return region;
			}
		}
		return null;
	}

	/**
	 * Whether this instance knows that a region may hold a stale value for a key.
	 * @param region the region
	 * @param key the Redis key
	 * @return whether reading the key from the region could return stale data
	 */
	public boolean isPending(Region region, String key) {
		Target target = this.targets.get(region.name());
		return target.unreadable || !target.clears.isEmpty() || (!target.pending.isEmpty() && target.pending.containsKey(key));
	}

	/**
	 * What this instance journaled for a region and has not replayed yet: the in-memory part of the
	 * journal, clear markers first.
	 * @param region the region
	 * @return a snapshot of the keys with their records
	 */
	public Map<String, Pending> memory(Region region) {
		Target target = this.targets.get(region.name());
		Map<String, Pending> snapshot = new java.util.LinkedHashMap<>(target.clears);
		snapshot.putAll(target.pending);
		return snapshot;
	}

	/**
	 * The in-memory record of a key, read before the key is replayed.
	 * @param region the region
	 * @param key the key
	 * @return the record, {@code null} if this instance has none
	 */
	public @Nullable Pending pending(Region region, String key) {
		Target target = this.targets.get(region.name());
		return (key.startsWith(CLEAR) ? target.clears : target.pending).get(key);
	}

	/**
	 * Forgets a key after it was replayed, unless it was journaled again since its record was read:
	 * until then the key stays pending and is not read from the region.
	 * @param region the region
	 * @param key the key
	 * @param replayed the record that was read before the replay
	 */
	public void replayed(Region region, String key, Pending replayed) {
		Target target = this.targets.get(region.name());
		(key.startsWith(CLEAR) ? target.clears : target.pending).remove(key, replayed);
	}

	/**
	 * Marks a region for a full resync, here and in the Redis journals of the serving regions, so
	 * that any instance that replays it resyncs it.
	 * @param region the region
	 */
	public void requireResync(Region region) {
		Target target = this.targets.get(region.name());
		target.lost = true;
		target.unreadable = true;
		for (Region holder : this.regions.others(region)) {
			if (holder.isServing()) {
				holder.callAsync((holderStore) -> this.store.flagResync(holderStore.client(), region.name()), holder.attemptNanos(Long.MAX_VALUE));
			}
		}
	}

	/**
	 * Whether this instance knows the region's journal lost keys (both memory and Redis full or
	 * failing), so that only a full resync makes it safe.
	 * @param region the region
	 * @return whether a full resync is needed
	 */
	public boolean needsResync(Region region) {
		Target target = this.targets.get(region.name());
		return target.lost || target.durableOverflow;
	}

	/**
	 * A resync from a peer starts: what overflowed or was lost so far is covered by the copy; an
	 * overflow or a loss from now on calls for another resync.
	 * @param region the region
	 */
	public void resyncStarted(Region region) {
		Target target = this.targets.get(region.name());
		target.lost = false;
		target.durableOverflow = false;
	}

	/**
	 * Counts a journal record read from Redis that is not one this starter writes (forged or
	 * corrupt): it is removed, never executed.
	 */
	public void rejected() {
		this.rejected.increment();
	}

	/**
	 * Journal records rejected since start.
	 * @return the count
	 */
	public long rejectedCount() {
		return this.rejected.sum();
	}

	/**
	 * Forgets everything journaled for a region after it was fully resynced or replayed.
	 * @param region the region
	 * @param fullResync whether it was resynced, which also clears the overflow state
	 */
	public void replayed(Region region, boolean fullResync) {
		Target target = this.targets.get(region.name());
		if (fullResync) {
			target.pending.clear();
			target.clears.clear();
			target.lost = false;
			target.durableOverflow = false;
		}
		// Records still on their way to the holder, some perhaps held nowhere else, were not replayed yet.
		if (target.pending.isEmpty() && target.clears.isEmpty() && target.onTheirWay.get() == 0) {
			target.unreadable = false;
			target.loggedSinceReplay.set(0);
		}
		target.durableDepth = 0;
	}

	/**
	 * Number of keys journaled for a region, as far as this instance knows: its in-memory keys, or
	 * the depth of the Redis journal at its last write, whichever is larger.
	 * @param region the region
	 * @return the depth
	 */
	public long depth(Region region) {
		Target target = this.targets.get(region.name());
		return Math.max(target.pending.size() + target.clears.size(), target.durableDepth);
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
	 * Saves, at a graceful stop, what only this instance's memory holds: each in-memory record is
	 * written to a region that serves, so that the instance that reconciles the region later finds
	 * it. What cannot be saved (no region serves) is named in a WARN line: those regions are
	 * resynced from a peer when they come back only if another instance saw them fail.
	 */
	public void close() {
		awaitRecordsOnTheirWay(TimeUnit.SECONDS.toNanos(2));
		List<java.util.concurrent.CompletableFuture<Long>> writes = new java.util.ArrayList<>();
		long unsaved = 0;
		long saved = 0;
		for (Region target : this.regions.all()) {
			Map<String, Pending> memory = memory(target);
			Region holder = holderFor(target);
			if (memory.isEmpty()) {
				continue;
			}
			if (holder == null) {
				unsaved += memory.size();
				logger.warn("Could not save " + memory.size() + " journal records of region '" + target.name()
						+ "' at shutdown: no other region serves. Reconcile it (actuator resilientcache, region online) before trusting it.");
				continue;
			}
			List<JournalStore.Record> records = new java.util.ArrayList<>(memory.size());
			memory.forEach((key, pending) -> records.add(
					new JournalStore.Record(key, JournalToken.of(this.instanceId, pending.sequence(), pending.repair(), pending.version()))));
			for (int from = 0; from < records.size(); from += SAVE_BATCH) {
				List<JournalStore.Record> batch = records.subList(from, Math.min(records.size(), from + SAVE_BATCH));
				// Completes with how many of the batch could not be saved, within the stop's 5 s.
				writes.add(this.store.appendAll(holder.direct().client(), target.name(), batch, this.maxEntries).toCompletableFuture()
					.orTimeout(5, TimeUnit.SECONDS).thenApply((depths) -> 0L).exceptionally((ex) -> (long) batch.size()));
			}
			saved += records.size();
		}
		long failed = writes.stream().mapToLong(java.util.concurrent.CompletableFuture::join).sum();
		if (failed > 0 || unsaved > 0) {
			logger.warn("Could not save " + (failed + unsaved) + " of " + (saved + unsaved) + " in-memory journal records at shutdown");
		}
		else if (saved > 0) {
			logger.info("Saved " + saved + " in-memory journal records to Redis at shutdown");
		}
	}

	/**
	 * Waits, at a graceful stop, for the records on their way to their holders, so that they are
	 * not lost with the clients; a target some of whose records were lost is flagged for a resync
	 * in its holder, so that every instance knows it.
	 */
	private void awaitRecordsOnTheirWay(long timeoutNanos) {
		long deadline = System.nanoTime() + timeoutNanos;
		while (this.targets.values().stream().anyMatch((target) -> target.onTheirWay.get() > 0) && System.nanoTime() - deadline < 0) {
			java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
		for (Region target : this.regions.all()) {
			Region holder = holderFor(target);
			if (this.targets.get(target.name()).lost && holder != null) {
				try {
					this.store.flagResync(holder.direct().client(), target.name()).toCompletableFuture().get(1, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					if (ex instanceof InterruptedException) {
						Thread.currentThread().interrupt();
					}
					logger.warn("Region '" + target.name() + "' lost journal records and could not be flagged for a resync at shutdown: "
							+ "reconcile it (actuator resilientcache, region online) before trusting it");
				}
			}
		}
	}

	/**
	 * Identity of this application instance.
	 * @return the identity
	 */
	public String instanceId() {
		return this.instanceId;
	}

	public JournalStore store() {
		return this.store;
	}

	/**
	 * The journal entry of a clear of every key matching a pattern.
	 * @param pattern the glob pattern of the cleared keys
	 * @return the entry to record
	 */
	public static String clearMarker(String pattern) {
		return CLEAR + pattern;
	}

	/**
	 * What replaying a key does to the region that missed it.
	 */
	public enum Repair {

		/**
		 * Copy the newest entry the other regions hold (another region took the write).
		 */
		COPY,

		/**
		 * Delete the key (no region took the write: none holds its value, and an older value must
		 * not come back).
		 */
		DELETE;

	}

	/**
	 * One in-memory record of a missed key.
	 * @param sequence when it was recorded, in this instance's order
	 * @param repair what replay does
	 * @param version for a {@code DELETE}, the version of the write no region took
	 */
	public record Pending(long sequence, Repair repair, @Nullable Version version) {
	}

	private static final class Target {

		private final Map<String, Pending> pending = new ConcurrentHashMap<>();

		private final Map<String, Pending> clears = new ConcurrentHashMap<>();

		private final LongAdder recorded = new LongAdder();

		private final AtomicLong loggedSinceReplay = new AtomicLong();

		private volatile boolean unreadable;

		private volatile boolean lost;

		private volatile boolean durableOverflow;

		private volatile long durableDepth;

		/** Records queued or on the wire to a holder, at most {@code maxEntries}. */
		private final AtomicInteger onTheirWay = new AtomicInteger();

		/** By holder region, what sends the records to it ({@link #appender}). */
		private final Map<String, Pipeline<JournalStore.Record, Long>> appenders = new ConcurrentHashMap<>();

	}

}
