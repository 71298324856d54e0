package io.github.resilientcache.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.Version;
import io.github.resilientcache.replication.HybridLogicalClock;
import org.jspecify.annotations.Nullable;

/**
 * Peer-assisted resync: rebuilds a region whose journal cannot be trusted from a healthy peer,
 * warm, instead of emptying it. Two passes, each in pipelined batches (one round trip per batch and
 * node) and rate-limited so that live traffic keeps its latency:
 * <ol>
 * <li>every entry of the peer (values and tombstones, with their versions and remaining times to
 * live) is copied under the version rule: newer wins, never older;</li>
 * <li>every entry the target held before the copy that the peer did not hold is deleted, unless it
 * was written since the resync began (a live write the region took while {@code RECOVERING}). The
 * target's keys are listed before the copy (up to a million; beyond, the target is scanned again
 * afterwards and the peer asked page by page).</li>
 * </ol>
 * A page is written into the target while the next is read from the peer.
 * Entries stamped too far ahead of the clock are not copied.
 */
final class PeerResync {

	private static final long BATCH_TIMEOUT_SECONDS = 30;

	/** Target keys kept in memory for the delete pass; past this the target is scanned again. */
	private static final int MAX_REMEMBERED_KEYS = 1_000_000;

	private final KeySpace keys;

	private final HybridLogicalClock clock;

	private final int batchSize;

	private final RateLimiter rateLimiter;

	PeerResync(KeySpace keys, HybridLogicalClock clock, int batchSize, int keysPerSecond) {
		this.keys = keys;
		this.clock = clock;
		this.batchSize = Math.min(batchSize, keysPerSecond);
		this.rateLimiter = RateLimiter.of("resilient-cache-resync", RateLimiterConfig.custom()
			.limitForPeriod(keysPerSecond)
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(Duration.ofSeconds(5))
			.build());
	}

	Copied copy(Region peer, Region target, Version startVersion) {
		// What the target holds before the copy, so that what the peer lacks can be deleted
		// afterwards without a second scan of everything copied (a rebuilt region usually starts
		// empty or from an older snapshot). Keys written from now on are live writes, newer than
		// the start, which the delete keeps anyway. Past the bound, the target is scanned again.
		Set<String> stale = new HashSet<>();
		Iterator<String> scan = target.direct().scan(this.keys.entryPattern(), this.batchSize);
		for (List<String> page = next(scan); !page.isEmpty() && stale != null; page = next(scan)) {
			stale.addAll(page);
			if (stale.size() > MAX_REMEMBERED_KEYS) {
				stale = null;
			}
		}
		long peerKeys = 0;
		long copied = 0;
		// Each page is written into the target while the next one is read from the peer: two
		// servers, two round trips in flight.
		CompletableFuture<Long> writing = CompletableFuture.completedFuture(0L);
		PeerPages pages = new PeerPages(peer);
		for (Map<String, RegionStore.RawEntry> page = pages.next(); page != null; page = pages.next()) {
			this.rateLimiter.acquirePermission(Math.max(1, page.size()));
			Map<String, RegionStore.RawEntry> entries = new LinkedHashMap<>();
			page.forEach((key, raw) -> {
				Version version = raw.version();
				if (version != null && this.clock.isTrusted(version.stamp())) {
					entries.put(key, raw);
				}
			});
			peerKeys += entries.size();
			if (stale != null) {
				page.keySet().forEach(stale::remove);
			}
			copied += join(writing);
			writing = target.direct().writeAll(entries);
		}
		copied += join(writing);
		long deleted = (stale != null) ? deleteAll(target, new ArrayList<>(stale), startVersion) : deleteAbsent(peer, target, startVersion);
		return new Copied(peerKeys, copied, deleted);
	}

	private long deleteAll(Region target, List<String> absent, Version startVersion) {
		long deleted = 0;
		for (int from = 0; from < absent.size(); from += this.batchSize) {
			List<String> page = absent.subList(from, Math.min(absent.size(), from + this.batchSize));
			this.rateLimiter.acquirePermission(page.size());
			deleted += join(target.direct().deleteAllUnlessNewer(page, startVersion));
		}
		return deleted;
	}

	/** The target held too many keys to remember: scan it again and ask the peer page by page. */
	private long deleteAbsent(Region peer, Region target, Version startVersion) {
		long deleted = 0;
		Iterator<String> scan = target.direct().scan(this.keys.entryPattern(), this.batchSize);
		for (List<String> page = next(scan); !page.isEmpty(); page = next(scan)) {
			this.rateLimiter.acquirePermission(page.size());
			List<RegionStore.@Nullable RawEntry> inPeer = join(peer.direct().getWithTtl(page));
			List<String> absent = new ArrayList<>();
			for (int i = 0; i < page.size(); i++) {
				if (inPeer.get(i) == null) {
					absent.add(page.get(i));
				}
			}
			if (!absent.isEmpty()) {
				deleted += join(target.direct().deleteAllUnlessNewer(absent, startVersion));
			}
		}
		return deleted;
	}

	/**
	 * The peer's entries of this application, page by page: on a single server or a Sentinel
	 * primary, one script call per page scans and reads; on a Cluster, a SCAN page, then a
	 * pipelined read of its keys.
	 */
	private final class PeerPages {

		private final Region peer;

		private final @Nullable Iterator<String> scan;

		private @Nullable String cursor = "0";

		PeerPages(Region peer) {
			this.peer = peer;
			this.scan = peer.direct().scansEntries() ? null : peer.direct().scan(PeerResync.this.keys.entryPattern(), PeerResync.this.batchSize);
		}

		/** The next page, keyed by Redis key; {@code null} after the last. */
		@Nullable Map<String, RegionStore.RawEntry> next() {
			if (this.scan != null) {
				List<String> keys = PeerResync.this.next(this.scan);
				if (keys.isEmpty()) {
					return null;
				}
				List<RegionStore.@Nullable RawEntry> read = join(this.peer.direct().getWithTtl(keys));
				Map<String, RegionStore.RawEntry> page = new LinkedHashMap<>();
				for (int i = 0; i < keys.size(); i++) {
					RegionStore.RawEntry raw = read.get(i);
					if (raw != null) {
						page.put(keys.get(i), raw);
					}
				}
				return page;
			}
			if (this.cursor == null) {
				return null;
			}
			RegionStore.EntryPage read = join(
					this.peer.direct().scanWithTtl(this.cursor, PeerResync.this.keys.entryPattern(), PeerResync.this.batchSize));
			this.cursor = "0".equals(read.cursor()) ? null : read.cursor();
			Map<String, RegionStore.RawEntry> page = new LinkedHashMap<>(read.entries());
			page.keySet().removeIf((key) -> PeerResync.this.keys.cacheOf(key) == null);
			return page;
		}

	}

	/** The next page of entry keys of this application (the pattern can match foreign keys). */
	private List<String> next(Iterator<String> scan) {
		List<String> page = new ArrayList<>(this.batchSize);
		while (page.size() < this.batchSize && scan.hasNext()) {
			String key = scan.next();
			if (this.keys.cacheOf(key) != null) {
				page.add(key);
			}
		}
		return page;
	}

	private static <T> T join(CompletableFuture<T> future) {
		return future.orTimeout(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
	}

	/**
	 * What a resync copied.
	 * @param peerKeys entries of the peer (values and tombstones)
	 * @param copied entries written into the target (the rest it held already, same or newer)
	 * @param deleted entries of the target the peer does not hold, deleted
	 */
	record Copied(long peerKeys, long copied, long deleted) {
	}

}
