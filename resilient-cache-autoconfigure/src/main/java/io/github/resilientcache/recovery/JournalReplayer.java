package io.github.resilientcache.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.Version;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.JournalStore;
import io.github.resilientcache.replication.JournalToken;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.replication.ReplayJournal.Pending;
import io.github.resilientcache.replication.ReplayJournal.Repair;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes a region agree with the healthy ones for every key it missed (clears first): copy the newest
 * entry the source regions hold (value or tombstone, with its remaining time to live) under the
 * version rule, or, when no source holds the key or no region took the write, delete it unless it
 * holds a newer version. Idempotent: a key replayed twice, or while a newer write arrives, ends at
 * the newest version.
 * <p>
 * When the journal cannot be trusted (it overflowed, a server restarted, a holder cannot be read),
 * the region is resynced warm from a healthy peer ({@link PeerResync}) instead of being flushed.
 * <p>
 * A key is forgotten only after its repair landed (its Redis record with a token check, its
 * in-memory record only if not journaled again meanwhile), so the region is never read for it, and
 * no crash loses it, in between. A journal record that is not one this starter writes (a forged
 * key, a pattern for no cache, an unparsable token) is removed and counted, never executed. Runs
 * on the region's recovery thread; each batch goes out concurrently on Redisson's async API.
 */
public final class JournalReplayer {

	private static final Log logger = LogFactory.getLog(JournalReplayer.class);

	private static final long BATCH_TIMEOUT_SECONDS = 30;

	private final Regions regions;

	private final ReplayJournal journal;

	private final KeySpace keys;

	private final HybridLogicalClock clock;

	private final PeerResync resync;

	private final int batchSize;

	/**
	 * Creates the replayer.
	 * @param regions the regions
	 * @param journal the journal
	 * @param clock the clock, for the version a repair deletes up to
	 * @param batchSize keys per batch
	 * @param resyncKeysPerSecond rate limit of a resync's copy
	 */
	public JournalReplayer(Regions regions, ReplayJournal journal, HybridLogicalClock clock, int batchSize, int resyncKeysPerSecond) {
		this.regions = regions;
		this.journal = journal;
		this.keys = regions.keys();
		this.clock = clock;
		this.batchSize = batchSize;
		this.resync = new PeerResync(this.keys, clock, batchSize, resyncKeysPerSecond);
	}

	/**
	 * Replays everything journaled for a region coming back, or resyncs it when its journal lost
	 * keys or cannot be read whole.
	 * @param target the region
	 * @return what was done
	 */
	public ReplayResult replay(Region target) {
		return replay(target, true, Region::isServing);
	}

	/**
	 * Replays what is journaled for a region.
	 * @param target the region
	 * @param strict whether an unreadable journal means a full resync (a region coming back), or
	 * whether what can be read is replayed (a serving region that missed a few writes)
	 * @param sources which other regions journals and entries are read from: serving regions, or at
	 * start every region that answered
	 * @return what was done
	 */
	public ReplayResult replay(Region target, boolean strict, Predicate<Region> sources) {
		for (Region other : this.regions.others(target)) {
			// A peer whose lost connection a probe is confirming is neither a source nor out: wait for
			// the probe (milliseconds) rather than resync, or empty the region, for want of a source.
			if (other.isSuspect() && other.state() == RegionState.UP) {
				throw new IllegalStateException("region '" + other.name() + "' is being confirmed by a probe; reconciled again next round");
			}
		}
		long start = System.nanoTime();
		Version startVersion = new Version(this.clock.next(), target.name());
		Counts counts = new Counts();
		List<Region> from = this.regions.others(target).stream().filter(sources).toList();
		boolean resynced = false;
		if (needsResync(target, strict, sources)) {
			resync(target, from, startVersion, counts);
			resynced = true;
		}
		JournalStore store = this.journal.store();
		for (Region holder : from) {
			// A key journaled again meanwhile keeps its new token and comes back in a later page; the
			// bound stops a journal refilled as fast as it drains from holding the region forever.
			long bound = store.depth(holder.direct().client(), target.name()) * 2 + this.batchSize;
			long done = 0;
			Map<String, String> page;
			while (done < bound && !(page = store.page(holder.direct().client(), target.name(), this.batchSize)).isEmpty()) {
				replayBatch(target, from, items(target, holder, page), startVersion, counts);
				done += page.size();
			}
		}
		// What is left in memory: keys whose Redis record failed (no region could hold it) or is
		// still on its way. Keys replayed from Redis above are gone from memory already.
		List<Item> memory = new ArrayList<>();
		this.journal.memory(target).forEach((key, pending) -> memory.add(new Item(key, pending.repair(), pending.version(), null, null, pending)));
		for (int i = 0; i < memory.size(); i += this.batchSize) {
			replayBatch(target, from, memory.subList(i, Math.min(memory.size(), i + this.batchSize)), startVersion, counts);
		}
		if (counts.failed.get() == 0) {
			this.journal.replayed(target, false);
		}
		return counts.result(target, resynced, start);
	}

	private boolean needsResync(Region target, boolean strict, Predicate<Region> sources) {
		if (this.journal.needsResync(target)) {
			return true;
		}
		for (Region other : this.regions.others(target)) {
			if (!sources.test(other)) {
				if (strict) {
					return true;
				}
				continue;
			}
			try {
				if (this.journal.store().resyncFlagged(other.direct().client(), target.name())) {
					return true;
				}
			}
			catch (RuntimeException ex) {
				if (strict) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * The peer a resync copies from, which also decides what the target keeps: what the peer lacks
	 * is deleted. A serving peer ({@link RegionState#UP}) was reconciled itself. At start every region
	 * is still {@link RegionState#RECOVERING}: one that needs a resync itself (it restarted empty or
	 * from an old snapshot, its journal overflowed) is taken only when no other can be, since copying
	 * from it would delete what the target holds and it lost. Among equals, the configured order.
	 * @param target the region to resync
	 * @param from the regions it may copy from
	 * @return the peer, {@code null} when there is none
	 */
	@Nullable Region resyncPeer(Region target, List<Region> from) {
		Region best = null;
		int bestRank = Integer.MAX_VALUE;
		for (Region peer : from) {
			int rank = (peer.state() == RegionState.UP) ? 0 : peerNeedsResync(peer) ? 2 : 1;
			if (rank < bestRank) {
				best = peer;
				bestRank = rank;
			}
		}
		if (best != null && bestRank == 2) {
			logger.warn("Region '" + target.name() + "' is resynced from region '" + best.name()
					+ "', which needs a resync itself: no other region can be copied from");
		}
		return best;
	}

	/** Whether this instance, or the journal any other region keeps of the peer, says the peer needs a resync. */
	private boolean peerNeedsResync(Region peer) {
		if (this.journal.needsResync(peer)) {
			return true;
		}
		for (Region holder : this.regions.others(peer)) {
			if (holder.acceptsWrites()) {
				try {
					if (this.journal.store().resyncFlagged(holder.direct().client(), peer.name())) {
						return true;
					}
				}
				catch (RuntimeException ex) {
					// Unknown here: the other candidates decide.
				}
			}
		}
		return false;
	}

	/**
	 * Rebuilds the target from a healthy peer: the journals are set aside first (what is written
	 * from then on is replayed after the copy), the peer's entries are copied under the version
	 * rule, what the peer lacks is deleted unless written since, and the writes no region took are
	 * repaired from the journals set aside. With no healthy peer the region can only be emptied.
	 */
	private void resync(Region target, List<Region> from, Version startVersion, Counts counts) {
		this.journal.resyncStarted(target);
		try {
			for (Region holder : from) {
				this.journal.store().setAside(holder.direct().client(), target.name());
			}
			Region peer = resyncPeer(target, from);
			if (peer == null) {
				logger.warn("Region '" + target.name() + "' needs a resync and no healthy region can be copied from: emptying it");
				long deleted = target.direct().deleteByPattern(this.keys.entryPattern()).toCompletableFuture().orTimeout(5, TimeUnit.MINUTES).join();
				counts.deleted.addAndGet(deleted);
			}
			else {
				PeerResync.Copied copied = this.resync.copy(peer, target, startVersion);
				counts.copied.addAndGet(copied.copied());
				counts.deleted.addAndGet(copied.deleted());
				counts.peerKeys.addAndGet(copied.peerKeys());
			}
			for (Region holder : from) {
				replaySetAsideDeletes(target, holder, startVersion, counts);
			}
		}
		catch (RuntimeException ex) {
			// Not done: the next attempt resyncs again.
			this.journal.requireResync(target);
			throw ex;
		}
	}

	/**
	 * The copy covers every write a peer took before it; a write that no region took is nowhere to
	 * copy from, so its delete record is replayed from the journal set aside. The rest is dropped.
	 */
	private void replaySetAsideDeletes(Region target, Region holder, Version startVersion, Counts counts) {
		JournalStore store = this.journal.store();
		Map<String, String> page;
		while (!(page = store.setAsidePage(holder.direct().client(), target.name(), this.batchSize)).isEmpty()) {
			List<Item> deletes = new ArrayList<>();
			List<CompletableFuture<?>> removals = new ArrayList<>();
			for (Item item : items(target, holder, page)) {
				if (item.repair() == Repair.DELETE) {
					deletes.add(new Item(item.key(), Repair.DELETE, item.version(), null, null, null));
				}
			}
			replayBatch(target, List.of(), deletes, startVersion, counts);
			page.keySet().forEach((key) -> removals.add(store.removeSetAside(holder.direct().client(), target.name(), key).toCompletableFuture()));
			CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).orTimeout(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
		}
	}

	/** Parses a page of records strictly; one this starter does not write is removed and counted. */
	private List<Item> items(Region target, Region holder, Map<String, String> page) {
		List<Item> items = new ArrayList<>(page.size());
		page.forEach((key, text) -> {
			JournalToken token = JournalToken.parse(text);
			boolean known = KeySpace.isClearMarker(key) ? this.keys.clearedCache(key) != null : this.keys.cacheOf(key) != null;
			if (token == null || !known) {
				this.journal.rejected();
				logger.warn("Ignoring a journal record of region '" + target.name() + "' that this starter does not write (held in region '"
						+ holder.name() + "'): removed, not executed");
				// Removed before the next page is read, so that it is neither counted nor read twice.
				this.journal.store().removeIfSame(holder.direct().client(), target.name(), key, text).toCompletableFuture()
					.orTimeout(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
				return;
			}
			items.add(new Item(key, token.repair(), token.version(), text, holder, this.journal.pending(target, key)));
		});
		return items;
	}

	private void replayBatch(Region target, List<Region> from, List<Item> items, Version startVersion, Counts counts) {
		List<CompletableFuture<?>> calls = new ArrayList<>(items.size());
		List<Item> copies = new ArrayList<>(items.size());
		for (Item item : items) {
			if (KeySpace.isClearMarker(item.key()) || item.repair() == Repair.DELETE || from.isEmpty()) {
				calls.add(repair(target, item, startVersion).thenCompose((copied) -> forget(target, item).thenApply((v) -> copied))
					.handle((copied, ex) -> {
						counts.settled(1, (ex == null && copied) ? 1 : 0, (ex == null && !copied) ? 1 : 0, (ex != null) ? 1 : 0);
						return null;
					}));
			}
			else {
				copies.add(item);
			}
		}
		if (!copies.isEmpty()) {
			calls.add(copyAll(target, from, copies, startVersion, counts));
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
	}

	/**
	 * Repairs a page of keys by copying each from the healthy region that holds its newest trusted
	 * entry: one read per source region, one conditional write and one conditional delete into the
	 * target, one removal of the journal records, for the whole page. A key that no healthy region
	 * holds any more is deleted, unless written since the replay began. If any step fails, nothing
	 * of the page is forgotten: every key stays journaled and is counted as failed.
	 */
	private CompletableFuture<Void> copyAll(Region target, List<Region> sources, List<Item> items, Version startVersion, Counts counts) {
		List<String> keys = items.stream().map(Item::key).toList();
		List<CompletableFuture<List<RegionStore.@Nullable RawEntry>>> reads = new ArrayList<>(sources.size());
		for (Region source : sources) {
			reads.add(source.direct().getWithTtl(keys));
		}
		long[] copied = new long[1];
		return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose((v) -> {
			Map<String, RegionStore.RawEntry> newest = new LinkedHashMap<>();
			List<String> absent = new ArrayList<>();
			for (int i = 0; i < keys.size(); i++) {
				RegionStore.RawEntry chosen = null;
				Version chosenVersion = null;
				for (CompletableFuture<List<RegionStore.@Nullable RawEntry>> read : reads) {
					RegionStore.RawEntry raw = read.join().get(i);
					Version version = (raw != null) ? raw.version() : null;
					if (version != null && !this.clock.isTrusted(version.stamp())) {
						this.clock.refused();
						version = null;
					}
					if (version != null && (chosenVersion == null || version.compareTo(chosenVersion) > 0)) {
						chosen = raw;
						chosenVersion = version;
					}
				}
				if (chosen != null) {
					newest.put(keys.get(i), chosen);
				}
				else {
					absent.add(keys.get(i));
				}
			}
			copied[0] = newest.size();
			return CompletableFuture.allOf(target.direct().writeAll(newest), target.direct().deleteAllUnlessNewer(absent, startVersion));
		}).thenCompose((v) -> forgetAll(target, items)).handle((v, ex) -> {
			if (ex != null) {
				counts.settled(items.size(), 0, 0, items.size());
			}
			else {
				counts.settled(items.size(), copied[0], items.size() - copied[0], 0);
			}
			return null;
		});
	}

	/** Forgets a page of repaired keys: their Redis records (one call per holder) and memory records. */
	private CompletableFuture<Void> forgetAll(Region target, List<Item> items) {
		Map<Region, Map<String, String>> durable = new LinkedHashMap<>();
		for (Item item : items) {
			if (item.holder() != null && item.token() != null) {
				durable.computeIfAbsent(item.holder(), (holder) -> new LinkedHashMap<>()).put(item.key(), item.token());
			}
		}
		List<CompletableFuture<?>> removals = new ArrayList<>(durable.size());
		durable.forEach((holder, tokens) -> removals
			.add(this.journal.store().removeAllIfSame(holder.direct().client(), target.name(), tokens).toCompletableFuture()));
		return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).thenRun(() -> {
			for (Item item : items) {
				if (item.memory() != null) {
					this.journal.replayed(target, item.key(), item.memory());
				}
			}
		});
	}

	/**
	 * Repairs one key that is not copied: a cleared cache, an eviction, or any key when no healthy
	 * region can be copied from. Completes with {@code false} (nothing copied).
	 */
	private CompletableFuture<Boolean> repair(Region target, Item item, Version startVersion) {
		RegionStore targetStore = target.direct();
		if (KeySpace.isClearMarker(item.key())) {
			String cache = this.keys.clearedCache(item.key());
			return (cache != null) ? targetStore.deleteByPattern(this.keys.cachePattern(cache)).toCompletableFuture().thenApply((n) -> false)
					: CompletableFuture.completedFuture(false);
		}
		Version upTo = (item.repair() == Repair.DELETE && item.version() != null) ? item.version() : startVersion;
		return targetStore.deleteUnlessNewer(item.key(), upTo).toCompletableFuture().thenApply((deleted) -> false);
	}

	/** Forgets a repaired key: its Redis record if it still holds the token read, its memory record if unchanged. */
	private CompletableFuture<Void> forget(Region target, Item item) {
		CompletableFuture<?> durable = (item.holder() != null && item.token() != null)
				? this.journal.store().removeIfSame(item.holder().direct().client(), target.name(), item.key(), item.token()).toCompletableFuture()
				: CompletableFuture.completedFuture(null);
		return durable.thenRun(() -> {
			if (item.memory() != null) {
				this.journal.replayed(target, item.key(), item.memory());
			}
		});
	}

	/**
	 * One key to replay, with the records it was read from.
	 */
	private record Item(String key, Repair repair, @Nullable Version version, @Nullable String token, @Nullable Region holder,
			@Nullable Pending memory) {
	}

	private static final class Counts {

		private final AtomicLong keys = new AtomicLong();

		private final AtomicLong copied = new AtomicLong();

		private final AtomicLong deleted = new AtomicLong();

		private final AtomicLong failed = new AtomicLong();

		private final AtomicLong peerKeys = new AtomicLong();

		void settled(long keys, long copied, long deleted, long failed) {
			this.keys.addAndGet(keys);
			this.copied.addAndGet(copied);
			this.deleted.addAndGet(deleted);
			this.failed.addAndGet(failed);
		}

		ReplayResult result(Region target, boolean resync, long start) {
			return new ReplayResult(target.name(), resync, this.keys.get(), this.copied.get(), this.deleted.get(), this.failed.get(),
					this.peerKeys.get(), Duration.ofNanos(System.nanoTime() - start), Instant.now());
		}

	}

}
