package io.github.resilientcache.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.replication.HybridLogicalClock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLock;

import org.springframework.context.SmartLifecycle;

/**
 * Anti-entropy: periodically compares the serving regions by digests of key buckets
 * ({@link BucketDigests}: key and version, never values), lists the keys only of buckets that
 * differ, and repairs divergence with the version rule, so that regions converge even after
 * faults the journal could not see (a region restarted from an old snapshot, a write lost with a
 * crashed instance). Batched and rate-limited so that it never hurts live traffic; one instance
 * runs at a time (a Redisson lock).
 * <p>
 * A key present in one region and absent in another is copied when its version is younger than the
 * tombstone time to live (an eviction would still show as a tombstone), and deleted otherwise (the
 * absence may be an eviction whose tombstone expired): a cache may always forget, never serve stale.
 */
public final class AntiEntropyReconciler implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(AntiEntropyReconciler.class);

	private static final RegionStore.RawEntry UNREADABLE = new RegionStore.RawEntry(new byte[0], 0);

	private static final int BUCKETS = 256;

	private final Regions regions;

	private final KeySpace keys;

	private final HybridLogicalClock clock;

	private final Settings settings;

	private final Consumer<ReconciliationResult> listener;

	private final RateLimiter rateLimiter;

	private volatile @Nullable ReconciliationResult lastResult;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Creates the reconciler.
	 * @param regions the regions
	 * @param clock the clock, for the age of entries and the stamps it trusts
	 * @param settings interval, batch size, rate and tombstone time to live
	 * @param listener told of every run's result
	 */
	public AntiEntropyReconciler(Regions regions, HybridLogicalClock clock, Settings settings, Consumer<ReconciliationResult> listener) {
		this.regions = regions;
		this.clock = clock;
		this.keys = regions.keys();
		// A batch never asks the rate limiter for more permits than one period grants.
		this.settings = new Settings(settings.enabled(), settings.interval(), Math.min(settings.batchSize(), settings.maxKeysPerSecond()),
				settings.maxKeysPerSecond(), settings.tombstoneTtl());
		this.listener = listener;
		this.rateLimiter = RateLimiter.of("resilient-cache-anti-entropy", RateLimiterConfig.custom()
			.limitForPeriod(settings.maxKeysPerSecond())
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(Duration.ofSeconds(2))
			.build());
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			this.executor = this.regions.threads().scheduler("resilient-cache-anti-entropy");
			if (this.settings.enabled()) {
				long interval = this.settings.interval().toMillis();
				this.executor.scheduleWithFixedDelay(this::scheduledRun, interval, interval, TimeUnit.MILLISECONDS);
			}
		}
	}

	/**
	 * Runs one reconciliation now on the anti-entropy thread (after any run in progress).
	 * @return completes with its result
	 */
	public CompletableFuture<ReconciliationResult> runNow() {
		ScheduledExecutorService current;
		synchronized (this) {
			current = this.executor;
		}
		if (current == null) {
			return CompletableFuture.completedFuture(finish(skipped("the application is not running")));
		}
		try {
			return CompletableFuture.supplyAsync(this::reconcileNow, current);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			return CompletableFuture.completedFuture(finish(skipped("the application is stopping")));
		}
	}

	private ReconciliationResult skipped(String why) {
		return ReconciliationResult.skipped(List.of(), why);
	}

	@Override
	public void stop() {
		ScheduledExecutorService stopping;
		synchronized (this) {
			stopping = this.executor;
			this.executor = null;
		}
		if (stopping != null) {
			this.regions.threads().shutdown(stopping);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private void scheduledRun() {
		try {
			reconcileNow();
		}
		catch (RuntimeException ex) {
			logger.warn("Anti-entropy run failed: " + Region.unwrap(ex));
		}
	}

	/**
	 * Runs one reconciliation now, on the calling thread.
	 * @return its result
	 */
	public ReconciliationResult reconcileNow() {
		long start = System.nanoTime();
		List<Region> serving = this.regions.all().stream().filter(Region::isServing).toList();
		List<String> names = serving.stream().map(Region::name).toList();
		if (serving.size() < 2) {
			return finish(ReconciliationResult.skipped(names, "fewer than two regions serve"));
		}
		// One fixed place for every instance: the first serving region by name.
		Region lockHolder = serving.stream().min(java.util.Comparator.comparing(Region::name)).orElseThrow();
		RLock lock = lockHolder.direct().client().getLock(this.keys.antiEntropyLock());
		if (!lock.tryLock()) {
			return finish(ReconciliationResult.skipped(names, "another instance is running it"));
		}
		try {
			Counts counts = new Counts();
			BucketDigests digests = new BucketDigests(this.keys, this.settings.batchSize(), this.rateLimiter);
			List<Map<String, BucketDigests.Digest>> byRegion = new ArrayList<>();
			for (Region region : serving) {
				byRegion.add(digests.digest(region));
			}
			Set<String> differing = new TreeSet<>();
			byRegion.forEach((digest) -> differing.addAll(digest.keySet()));
			differing.removeIf((bucket) -> byRegion.stream().map((digest) -> digest.get(bucket)).distinct().count() == 1);
			counts.checked.set(byRegion.get(0).values().stream().mapToLong(BucketDigests.Digest::count).sum());
			if (!differing.isEmpty()) {
				Set<String> keys = new LinkedHashSet<>();
				for (Region region : serving) {
					keys.addAll(digests.keysIn(region, differing).keySet());
				}
				List<String> all = new ArrayList<>(keys);
				for (int from = 0; from < all.size(); from += this.settings.batchSize()) {
					List<String> batch = all.subList(from, Math.min(all.size(), from + this.settings.batchSize()));
					this.rateLimiter.acquirePermission(batch.size());
					compareBatch(serving, batch, counts);
				}
			}
			return finish(new ReconciliationResult(names, counts.checked.get(), counts.divergent.get(), counts.repaired.get(),
					Map.copyOf(counts.perCache), Duration.ofNanos(System.nanoTime() - start), Instant.now(), null, BUCKETS, differing.size(),
					digests.roundTrips()));
		}
		finally {
			LockRelease.release(lock, "the anti-entropy lock");
		}
	}

	private ReconciliationResult finish(ReconciliationResult result) {
		this.lastResult = result;
		if (result.divergent() > 0) {
			logger.info("Anti-entropy: " + result.describe());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Anti-entropy: " + result.describe());
		}
		this.listener.accept(result);
		return result;
	}

	private void compareBatch(List<Region> serving, List<String> keys, Counts counts) {
		List<List<CompletableFuture<RegionStore.@Nullable RawEntry>>> reads = new ArrayList<>();
		for (Region region : serving) {
			// A page that cannot be read marks its keys unreadable for this run (checked again next run)
			// rather than aborting the whole run: anti-entropy runs in the background, under live load.
			CompletableFuture<List<RegionStore.@Nullable RawEntry>> page = region.direct().getWithTtl(keys);
			List<CompletableFuture<RegionStore.@Nullable RawEntry>> regionReads = new ArrayList<>(keys.size());
			for (int k = 0; k < keys.size(); k++) {
				int index = k;
				regionReads.add(page.thenApply((entries) -> entries.get(index)).exceptionally((ex) -> UNREADABLE));
			}
			reads.add(regionReads);
		}
		List<CompletableFuture<?>> repairs = new ArrayList<>();
		for (int k = 0; k < keys.size(); k++) {
			String key = keys.get(k);
			counts.checked.incrementAndGet();
			RegionStore.RawEntry[] raws = new RegionStore.RawEntry[serving.size()];
			StoredEntry[] entries = new StoredEntry[serving.size()];
			int newest = -1;
			boolean unreadable = false;
			for (int r = 0; r < serving.size(); r++) {
				raws[r] = reads.get(r).get(k).orTimeout(30, TimeUnit.SECONDS).join();
				if (raws[r] == UNREADABLE) {
					unreadable = true;
					break;
				}
				entries[r] = (raws[r] != null) ? raws[r].entry() : null;
				if (entries[r] != null && !this.clock.isTrusted(entries[r].version().stamp())) {
					// Stamped too far ahead: not trusted as newest, replaced by the newest trusted entry.
					this.clock.refused();
					entries[r] = null;
				}
				if (entries[r] != null && (newest < 0 || entries[r].version().compareTo(entries[newest].version()) > 0)) {
					newest = r;
				}
			}
			if (unreadable) {
				continue;
			}
			repairs.addAll(repair(serving, key, raws, entries, newest, counts));
		}
		// A repair that fails leaves the key divergent, found again next run.
		CompletableFuture.allOf(repairs.stream().map((repair) -> repair.exceptionally((ex) -> null)).toArray(CompletableFuture[]::new))
			.orTimeout(30, TimeUnit.SECONDS)
			.join();
	}

	private List<CompletableFuture<?>> repair(List<Region> serving, String key, RegionStore.@Nullable RawEntry[] raws,
			@Nullable StoredEntry[] entries, int newest, Counts counts) {
		List<CompletableFuture<?>> repairs = new ArrayList<>();
		if (newest < 0) {
			return repairs;
		}
		StoredEntry winner = entries[newest];
		boolean divergent = false;
		for (StoredEntry entry : entries) {
			divergent |= (entry == null) || !entry.version().equals(winner.version());
		}
		if (!divergent) {
			return repairs;
		}
		counts.divergent.incrementAndGet();
		counts.perCache.merge(cacheName(key), 1L, Long::sum);
		long ageMillis = HybridLogicalClock.physicalMillis(this.clock.next()) - HybridLogicalClock.physicalMillis(winner.version().stamp());
		boolean copy = ageMillis < this.settings.tombstoneTtl().toMillis();
		List<CompletableFuture<?>> writes = new ArrayList<>();
		for (int r = 0; r < serving.size(); r++) {
			RegionStore store = serving.get(r).direct();
			if (copy && (entries[r] == null || entries[r].version().compareTo(winner.version()) < 0)) {
				writes.add(store.write(key, winner, raws[newest].ttlMillis()).toCompletableFuture());
			}
			else if (!copy && raws[r] != null) {
				// Conditional: a write landing between this read and the delete is kept.
				writes.add(store.deleteIfSame(key, raws[r].bytes()).toCompletableFuture());
			}
		}
		// Counted as repaired once every write of the key succeeded; a failed one leaves it divergent.
		repairs.add(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenRun(counts.repaired::incrementAndGet));
		return repairs;
	}

	private String cacheName(String key) {
		String cache = this.keys.cacheOf(key);
		return (cache != null) ? cache : "?";
	}

	/**
	 * The last run's result.
	 * @return the result, {@code null} before the first run
	 */
	public @Nullable ReconciliationResult lastResult() {
		return this.lastResult;
	}

	/**
	 * Anti-entropy settings.
	 * @param enabled whether runs are scheduled
	 * @param interval time between runs
	 * @param batchSize keys per batch
	 * @param maxKeysPerSecond rate limit
	 * @param tombstoneTtl time to live of eviction tombstones
	 */
	public record Settings(boolean enabled, Duration interval, int batchSize, int maxKeysPerSecond, Duration tombstoneTtl) {
	}

	private static final class Counts {

		private final AtomicLong checked = new AtomicLong();

		private final AtomicLong divergent = new AtomicLong();

		private final AtomicLong repaired = new AtomicLong();

		private final Map<String, Long> perCache = new ConcurrentHashMap<>();

	}

}
