package io.github.resilientcache.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.StoredEntry;
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
 * <li>every entry of the target that the peer did not hold is deleted, unless it was written
 * since the resync began (a live write the region took while {@code RECOVERING}). The peer's keys
 * are remembered from the first pass (up to a million; beyond, the peer is asked again).</li>
 * </ol>
 * Entries stamped too far ahead of the clock are not copied.
 */
final class PeerResync {

	private static final long BATCH_TIMEOUT_SECONDS = 30;

	/** Peer keys kept in memory for the second pass; past this the second pass reads the peer again. */
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
		long peerKeys = 0;
		long copied = 0;
		// The peer's keys, so that the second pass need not ask the peer again (up to a bound).
		Set<String> seen = new HashSet<>();
		boolean remembered = true;
		Iterator<String> scan = peer.direct().scan(this.keys.entryPattern(), this.batchSize);
		for (List<String> page = next(scan); !page.isEmpty(); page = next(scan)) {
			this.rateLimiter.acquirePermission(page.size());
			List<RegionStore.@Nullable RawEntry> read = join(peer.direct().getWithTtl(page));
			Map<String, RegionStore.RawEntry> entries = new LinkedHashMap<>();
			for (int i = 0; i < page.size(); i++) {
				RegionStore.RawEntry raw = read.get(i);
				StoredEntry entry = (raw != null) ? raw.entry() : null;
				if (entry != null && this.clock.isTrusted(entry.version().stamp())) {
					entries.put(page.get(i), raw);
				}
			}
			peerKeys += entries.size();
			if (remembered && seen.size() + page.size() <= MAX_REMEMBERED_KEYS) {
				seen.addAll(page);
			}
			else {
				remembered = false;
				seen.clear();
			}
			copied += join(target.direct().writeAll(entries));
		}
		long deleted = 0;
		scan = target.direct().scan(this.keys.entryPattern(), this.batchSize);
		for (List<String> page = next(scan); !page.isEmpty(); page = next(scan)) {
			this.rateLimiter.acquirePermission(page.size());
			List<String> absent = new ArrayList<>();
			if (remembered) {
				page.stream().filter((key) -> !seen.contains(key)).forEach(absent::add);
			}
			else {
				List<RegionStore.@Nullable RawEntry> inPeer = join(peer.direct().getWithTtl(page));
				for (int i = 0; i < page.size(); i++) {
					if (inPeer.get(i) == null) {
						absent.add(page.get(i));
					}
				}
			}
			if (!absent.isEmpty()) {
				deleted += join(target.direct().deleteAllUnlessNewer(absent, startVersion));
			}
		}
		return new Copied(peerKeys, copied, deleted);
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

	private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
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
