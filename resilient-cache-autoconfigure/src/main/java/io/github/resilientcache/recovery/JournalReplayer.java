package io.github.resilientcache.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.replication.JournalStore;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.replication.ReplayJournal.Pending;
import io.github.resilientcache.replication.ReplayJournal.Repair;
import org.jspecify.annotations.Nullable;

/**
 * Makes a region agree with the healthy ones for every key it missed (clears first): copy the newest
 * entry the serving regions hold (value or tombstone, with its remaining time to live) under the
 * version rule, or delete the key when no region holds it or when no region took the write.
 * Idempotent: a key replayed twice, or while a newer write arrives, ends at the newest version.
 * <p>
 * A key is forgotten only after its repair landed (its Redis record with a token check, its
 * in-memory record only if not journaled again meanwhile), so the region is never read for it, and
 * no crash loses it, in between. Runs on the recovery thread; each batch goes out concurrently on
 * Redisson's async API.
 */
public final class JournalReplayer {

	private static final long BATCH_TIMEOUT_SECONDS = 30;

	private final Regions regions;

	private final ReplayJournal journal;

	private final String entryPattern;

	private final int batchSize;

	/**
	 * Creates the replayer.
	 * @param regions the regions
	 * @param journal the journal
	 * @param keyPrefix the key prefix: a full resync deletes every cache entry under it
	 * @param batchSize keys per batch
	 */
	public JournalReplayer(Regions regions, ReplayJournal journal, String keyPrefix, int batchSize) {
		this.regions = regions;
		this.journal = journal;
		this.entryPattern = keyPrefix + ":*::*";
		this.batchSize = batchSize;
	}

	/**
	 * Replays everything journaled for a region coming back, or resyncs it when its journal lost
	 * keys or cannot be read whole (another region is out: its journal or the newest entries may be
	 * there).
	 * @param target the region
	 * @return what was done
	 */
	public ReplayResult replay(Region target) {
		return replay(target, true);
	}

	/**
	 * Replays what is journaled for a region.
	 * @param target the region
	 * @param strict whether an unreadable journal means a full resync (a region coming back), or
	 * whether what can be read is replayed (a serving region that missed a few writes)
	 * @return what was done
	 */
	public ReplayResult replay(Region target, boolean strict) {
		long start = System.nanoTime();
		if (needsResync(target, strict)) {
			return resync(target, start);
		}
		Counts counts = new Counts();
		JournalStore store = this.journal.store();
		for (Region holder : this.regions.others(target)) {
			if (!holder.isServing()) {
				continue;
			}
			// A key journaled again meanwhile keeps its new token and comes back in a later page; the
			// bound stops a journal refilled as fast as it drains from holding the region forever.
			long bound = store.depth(holder.store().client(), target.name()) * 2 + this.batchSize;
			long done = 0;
			Map<String, String> page;
			while (done < bound && !(page = store.page(holder.store().client(), target.name(), this.batchSize)).isEmpty()) {
				List<Item> items = new ArrayList<>(page.size());
				page.forEach((key, token) -> items.add(new Item(key, Repair.of(token), token, holder, this.journal.pending(target, key))));
				replayBatch(target, items, counts);
				done += page.size();
			}
		}
		// What is left in memory: keys whose Redis record failed (no region could hold it) or is
		// still on its way. Keys replayed from Redis above are gone from memory already.
		List<Item> memory = new ArrayList<>();
		this.journal.memory(target).forEach((key, pending) -> memory.add(new Item(key, pending.repair(), null, null, pending)));
		for (int from = 0; from < memory.size(); from += this.batchSize) {
			replayBatch(target, memory.subList(from, Math.min(memory.size(), from + this.batchSize)), counts);
		}
		if (counts.failed.get() == 0) {
			this.journal.replayed(target, false);
		}
		return counts.result(target, false, start);
	}

	private boolean needsResync(Region target, boolean strict) {
		if (this.journal.needsResync(target)) {
			return true;
		}
		for (Region other : this.regions.others(target)) {
			if (!other.isServing()) {
				if (strict) {
					return true;
				}
				continue;
			}
			try {
				if (this.journal.store().resyncFlagged(other.store().client(), target.name())) {
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

	private ReplayResult resync(Region target, long start) {
		target.store().deleteByPattern(this.entryPattern).toCompletableFuture().orTimeout(5, TimeUnit.MINUTES).join();
		for (Region holder : this.regions.others(target)) {
			if (holder.isServing()) {
				this.journal.store().reset(holder.store().client(), target.name());
			}
		}
		this.journal.replayed(target, true);
		return new Counts().result(target, true, start);
	}

	private void replayBatch(Region target, List<Item> items, Counts counts) {
		List<Region> sources = this.regions.others(target).stream().filter(Region::isServing).toList();
		List<CompletableFuture<?>> calls = new ArrayList<>(items.size());
		for (Item item : items) {
			calls.add(repair(target, sources, item).thenCompose((copied) -> forget(target, item).thenApply((v) -> copied))
				.handle((copied, ex) -> {
					counts.keys.incrementAndGet();
					if (ex != null) {
						// Nothing was forgotten: the key stays journaled, here and in Redis.
						counts.failed.incrementAndGet();
					}
					else if (copied) {
						counts.copied.incrementAndGet();
					}
					else {
						counts.deleted.incrementAndGet();
					}
					return null;
				}));
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
	}

	/**
	 * Repairs one key; completes with {@code true} when an entry was copied, {@code false} when the
	 * key was deleted.
	 */
	private CompletableFuture<Boolean> repair(Region target, List<Region> sources, Item item) {
		String pattern = ReplayJournal.clearedPattern(item.key());
		RegionStore targetStore = target.store();
		if (pattern != null) {
			return targetStore.deleteByPattern(pattern).toCompletableFuture().thenApply((n) -> false);
		}
		if (item.repair() == Repair.DELETE || sources.isEmpty()) {
			return targetStore.delete(item.key()).toCompletableFuture().thenApply((n) -> false);
		}
		List<CompletableFuture<RegionStore.@Nullable RawEntry>> reads = new ArrayList<>(sources.size());
		for (Region source : sources) {
			reads.add(source.store().getWithTtl(item.key()).toCompletableFuture());
		}
		return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose((v) -> {
			RegionStore.RawEntry newest = null;
			StoredEntry newestEntry = null;
			for (CompletableFuture<RegionStore.@Nullable RawEntry> read : reads) {
				RegionStore.RawEntry raw = read.join();
				StoredEntry entry = (raw != null) ? raw.entry() : null;
				if (entry != null && (newestEntry == null || entry.version().compareTo(newestEntry.version()) > 0)) {
					newest = raw;
					newestEntry = entry;
				}
			}
			if (newestEntry == null) {
				return targetStore.delete(item.key()).toCompletableFuture().thenApply((n) -> false);
			}
			return targetStore.write(item.key(), newestEntry, newest.ttlMillis()).toCompletableFuture().thenApply((outcome) -> true);
		});
	}

	/** Forgets a repaired key: its Redis record if it still holds the token read, its memory record if unchanged. */
	private CompletableFuture<Void> forget(Region target, Item item) {
		CompletableFuture<?> durable = (item.holder() != null && item.token() != null)
				? this.journal.store().removeIfSame(item.holder().store().client(), target.name(), item.key(), item.token()).toCompletableFuture()
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
	private record Item(String key, Repair repair, @Nullable String token, @Nullable Region holder, @Nullable Pending memory) {
	}

	private static final class Counts {

		private final AtomicLong keys = new AtomicLong();

		private final AtomicLong copied = new AtomicLong();

		private final AtomicLong deleted = new AtomicLong();

		private final AtomicLong failed = new AtomicLong();

		ReplayResult result(Region target, boolean resync, long start) {
			return new ReplayResult(target.name(), resync, this.keys.get(), this.copied.get(), this.deleted.get(), this.failed.get(),
					Duration.ofNanos(System.nanoTime() - start), Instant.now());
		}

	}

}
