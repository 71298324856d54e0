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
import org.jspecify.annotations.Nullable;

/**
 * Makes a recovered region agree with a healthy one for every key it missed: for each journaled key
 * (clears first), copy the healthy region's entry (value or tombstone, with its remaining time to
 * live) under the version rule, or delete the key when no healthy region holds it. Idempotent: a key
 * replayed twice, or replayed while a newer write arrives, ends at the newest version.
 * <p>
 * Runs on the recovery thread; each batch is sent concurrently on Redisson's async API.
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
	 * Replays everything journaled for a region, or resyncs it when its journal overflowed.
	 * @param target the region
	 * @return what was done
	 */
	public ReplayResult replay(Region target) {
		long start = System.nanoTime();
		if (needsResync(target)) {
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
				List<CompletableFuture<?>> removals = new ArrayList<>();
				// Claimed in memory too, so that a key that fails to replay is journaled again in full.
				page.keySet().forEach((key) -> this.journal.claim(target, key));
				page.forEach((key, token) -> removals.add(store.removeIfSame(holder.store().client(), target.name(), key, token).toCompletableFuture()));
				join(removals);
				replayBatch(target, new ArrayList<>(page.keySet()), counts);
				done += page.size();
			}
		}
		// What is left in memory: keys whose Redis record failed (no region could hold it) or is
		// still on its way. Durable keys were claimed above, so no key is copied twice.
		List<String> memory = this.journal.memoryKeys(target);
		for (int from = 0; from < memory.size(); from += this.batchSize) {
			List<String> batch = memory.subList(from, Math.min(memory.size(), from + this.batchSize));
			batch.forEach((key) -> this.journal.claim(target, key));
			replayBatch(target, batch, counts);
		}
		if (counts.failed.get() == 0) {
			this.journal.replayed(target, false);
		}
		return counts.result(target, false, start);
	}

	private boolean needsResync(Region target) {
		if (this.journal.needsResync(target)) {
			return true;
		}
		for (Region holder : this.regions.others(target)) {
			if (holder.isServing() && this.journal.store().resyncFlagged(holder.store().client(), target.name())) {
				return true;
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

	private void replayBatch(Region target, List<String> keys, Counts counts) {
		Region source = this.journal.holderFor(target);
		List<CompletableFuture<?>> calls = new ArrayList<>(keys.size());
		for (String key : keys) {
			calls.add(replayKey(target, source, key).handle((outcome, ex) -> {
				counts.keys.incrementAndGet();
				if (ex != null) {
					counts.failed.incrementAndGet();
					this.journal.record(target, key, "replay failed: " + Region.unwrap(ex).getMessage());
				}
				else if (outcome) {
					counts.copied.incrementAndGet();
				}
				else {
					counts.deleted.incrementAndGet();
				}
				return null;
			}));
		}
		join(calls);
	}

	/**
	 * Replays one key; completes with {@code true} when an entry was copied, {@code false} when the
	 * key was deleted.
	 */
	private CompletableFuture<Boolean> replayKey(Region target, @Nullable Region source, String key) {
		String pattern = ReplayJournal.clearedPattern(key);
		RegionStore targetStore = target.store();
		if (pattern != null) {
			return targetStore.deleteByPattern(pattern).toCompletableFuture().thenApply((n) -> false);
		}
		if (source == null) {
			return targetStore.delete(key).toCompletableFuture().thenApply((n) -> false);
		}
		return source.store().getWithTtl(key).toCompletableFuture().thenCompose((raw) -> {
			StoredEntry entry = (raw != null) ? raw.entry() : null;
			if (entry == null) {
				return targetStore.delete(key).toCompletableFuture().thenApply((n) -> false);
			}
			return targetStore.write(key, entry, raw.ttlMillis()).toCompletableFuture().thenApply((outcome) -> true);
		});
	}

	private static void join(List<CompletableFuture<?>> calls) {
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
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
