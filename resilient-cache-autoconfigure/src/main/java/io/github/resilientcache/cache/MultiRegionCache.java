package io.github.resilientcache.cache;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilientcache.cache.CacheOperationTimer.Operation;
import io.github.resilientcache.region.PoisonedKeyException;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionFailureException;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.region.Version;
import io.github.resilientcache.replication.Acknowledgements;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.replication.ReplicationMode;
import io.github.resilientcache.replication.Replicator;
import io.github.resilientcache.replication.Replicator.Write;
import io.github.resilientcache.replication.Replicator.WriteResult;
import io.github.resilientcache.routing.ReadRouter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;

/**
 * A Spring {@link org.springframework.cache.Cache} over several regions. Reads go to the first
 * region that may serve them and move on when one fails; writes go through the {@link Replicator}.
 * No cache fault reaches the caller: a read no region answers is a miss, a write no region takes is
 * journaled, and no call holds the calling thread longer than the operation timeout.
 */
final class MultiRegionCache extends AbstractValueAdaptingCache {

	private static final Log logger = LogFactory.getLog(MultiRegionCache.class);

	private final String name;

	private final CacheKeys keys;

	private final CacheSettings settings;

	private final ReadRouter router;

	private final Replicator replicator;

	private final HybridLogicalClock clock;

	private final ValueCodec codec;

	private final CacheStatistics statistics;

	private final String localRegion;

	private final CacheOperationTimer timer;

	private final LoadCoalescer loads = new LoadCoalescer();

	private final Set<Class<?>> unencodableTypes = ConcurrentHashMap.newKeySet();

	/** The near tier, {@code null} when the cache keeps none: then no near code runs at all. */
	private @Nullable NearCache near;

	MultiRegionCache(String name, CacheSettings settings, ReadRouter router, Replicator replicator, HybridLogicalClock clock,
			ValueCodec codec, CacheOperationTimer timer) {
		super(settings.allowNullValues());
		this.name = name;
		this.keys = new CacheKeys(settings.keyPrefix(), name, settings.protection());
		this.settings = settings;
		this.router = router;
		this.replicator = replicator;
		this.clock = clock;
		this.codec = codec;
		this.statistics = new CacheStatistics(router.order(), settings.replication());
		this.localRegion = router.order().get(0).name();
		this.timer = timer;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Object getNativeCache() {
		return this.replicator;
	}

	public CacheStatistics statistics() {
		return this.statistics;
	}

	CacheSettings settings() {
		return this.settings;
	}

	/**
	 * Puts a near tier in front of the regions; called once, before the cache is handed out.
	 * @param near the tier
	 */
	void useNearCache(NearCache near) {
		this.near = near;
	}

	@Nullable NearCache nearCache() {
		return this.near;
	}

	/**
	 * The length of the prefix of this cache's Redis keys, which the near tier strips from
	 * announced keys.
	 * @return the length
	 */
	int keyPrefixLength() {
		return this.keys.prefixLength();
	}

	/**
	 * Drops a key from the near tier once a write of this instance completed (whatever its outcome:
	 * a timed-out write may still land), so that this instance reads its own writes.
	 */
	private <T> CompletableFuture<T> nearInvalidated(String redisKey, CompletableFuture<T> write) {
		NearCache current = this.near;
		return (current != null) ? write.whenComplete((result, ex) -> current.invalidateLocal(this.keys.keyText(redisKey))) : write;
	}

	/**
	 * The near tier's entry of a key if it may be served now, counted as a near hit; nothing is
	 * counted when there is none (the read that follows counts the miss). For wrappers that would
	 * otherwise add their own work to a near hit ({@link ObservedCache}).
	 * @param key the cache key
	 * @return the entry's wrapper ({@code get()} is {@code null} for a cached null), {@code null}
	 * when the cache keeps no near tier or the tier holds no servable entry
	 */
	@Nullable ValueWrapper nearHit(Object key) {
		NearCache current = this.near;
		if (current == null) {
			return null;
		}
		Object cached = current.get(this.keys.nearKey(key), false);
		return (cached != null) ? toValueWrapper(cached) : null;
	}

	/**
	 * Adapts a near hit of {@link #nearHit} for {@code retrieve}, as {@link #retrieve(Object)} does.
	 * @param hit the near hit
	 * @return the completed retrieval
	 */
	CompletableFuture<?> retrieved(ValueWrapper hit) {
		return CompletableFuture.completedFuture(isAllowNullValues() ? hit : hit.get());
	}

	// Reads

	@Override
	protected @Nullable Object lookup(Object key) {
		String redisKey;
		NearCache.Ticket ticket = null;
		NearCache current = this.near;
		if (current != null) {
			// A near hit builds no Redis key: the near key of a string key in clear is the key itself.
			String nearKey = this.keys.nearKey(key);
			Object cached = current.get(nearKey, true);
			if (cached != null) {
				return cached;
			}
			ticket = current.ticket(nearKey);
			redisKey = this.keys.redisKeyOf(nearKey);
		}
		else {
			redisKey = this.keys.redisKey(key);
		}
		long start = System.nanoTime();
		long deadline = start + this.settings.timeoutNanos();
		for (int i = next(redisKey, 0, deadline); i >= 0; i = next(redisKey, i + 1, deadline)) {
			Region region = this.router.order().get(i);
			try {
				byte[] raw = region.call((store) -> store.get(redisKey), region.attemptNanos(deadline - System.nanoTime()));
				return decodeTimed(i, region, redisKey, raw, deadline, ticket);
			}
			catch (RegionFailureException ex) {
				if (readFailed(i, region, redisKey, ex, deadline)) {
					return null;
				}
			}
		}
		return unavailable(deadline);
	}

	@Override
	public @Nullable CompletableFuture<?> retrieve(Object key) {
		String nearKey = this.keys.nearKey(key);
		Object cached = (this.near != null) ? this.near.get(nearKey, true) : null;
		if (cached != null) {
			return CompletableFuture.completedFuture(isAllowNullValues() ? toValueWrapper(cached) : fromStoreValue(cached));
		}
		// Only after a near miss, as in lookup: a near hit builds no Redis key.
		String redisKey = this.keys.redisKeyOf(nearKey);
		return readAsync(redisKey, 0, System.nanoTime() + this.settings.timeoutNanos())
			.thenApply((stored) -> (stored != null) ? (isAllowNullValues() ? toValueWrapper(stored) : fromStoreValue(stored)) : null);
	}

	@SuppressWarnings("unchecked")
	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		String nearKey = this.keys.nearKey(key);
		Object cached = (this.near != null) ? this.near.get(nearKey, true) : null;
		if (cached != null) {
			return CompletableFuture.completedFuture((T) fromStoreValue(cached));
		}
		String redisKey = this.keys.redisKeyOf(nearKey);
		return readAsync(redisKey, 0, System.nanoTime() + this.settings.timeoutNanos()).thenCompose((stored) -> (stored != null)
				? CompletableFuture.completedFuture((T) fromStoreValue(stored))
				: this.loads.loadAsync(redisKey,
						() -> readAsync(redisKey, 0, System.nanoTime() + this.settings.timeoutNanos()).thenApply(this::toValueWrapper), valueLoader, (value) -> nearInvalidated(redisKey, writeValue(redisKey, value))));
	}

	/**
	 * The same read as {@link #lookup}, on Redisson's async API: the same regions in the same
	 * order ({@link #next}), the same outcomes ({@link #decodeTimed}, {@link #readFailed}).
	 */
	private CompletableFuture<@Nullable Object> readAsync(String redisKey, int from, long deadline) {
		return readAsync(redisKey, from, deadline, (this.near != null) ? this.near.ticket(this.keys.keyText(redisKey)) : null);
	}

	private CompletableFuture<@Nullable Object> readAsync(String redisKey, int from, long deadline, NearCache.@Nullable Ticket ticket) {
		int i = next(redisKey, from, deadline);
		if (i < 0) {
			return CompletableFuture.completedFuture(unavailable(deadline));
		}
		Region region = this.router.order().get(i);
		return region.callAsync((store) -> store.get(redisKey), region.attemptNanos(deadline - System.nanoTime()))
			.handle((raw, ex) -> {
				if (ex == null) {
					return CompletableFuture.completedFuture(decodeTimed(i, region, redisKey, raw, deadline, ticket));
				}
				RegionFailureException failure = (Region.unwrap(ex) instanceof RegionFailureException regionFailure) ? regionFailure
						: new RegionFailureException(region.name(), Region.describe(Region.unwrap(ex)), ex);
				return readFailed(i, region, redisKey, failure, deadline) ? CompletableFuture.<@Nullable Object>completedFuture(null)
						: readAsync(redisKey, i + 1, deadline, ticket);
			})
			.thenCompose(Function.identity());
	}

	/**
	 * The next region, from an index in failover order, that may serve a read of the key now.
	 * @return its index, {@code -1} when none is left or the budget is spent
	 */
	private int next(String redisKey, int from, long deadline) {
		List<Region> order = this.router.order();
		for (int i = from; i < order.size() && deadline - System.nanoTime() > 0; i++) {
			if (this.router.canServe(order.get(i), redisKey)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * A read that failed in one region: a key of the wrong Redis type is repaired and read as a miss
	 * (the region answered; it is not a region failure); anything else moves on to the next region.
	 * @return whether the read ends here, as a miss
	 */
	private boolean readFailed(int index, Region region, String redisKey, RegionFailureException ex, long deadline) {
		if (ex instanceof PoisonedKeyException) {
			this.statistics.recordPoisoned(index);
			this.statistics.miss(index);
			logger.warn("Deleting a key of the wrong Redis type in cache '" + this.name + "' in region '" + region.name() + "'");
			region.direct().deleteIfWrongType(redisKey);
			recordSince(Operation.GET, region.name(), deadline - this.settings.timeoutNanos());
			return true;
		}
		logger.debug("Read failed over", ex);
		return false;
	}

	private @Nullable Object unavailable(long deadline) {
		this.statistics.recordUnavailable();
		recordSince(Operation.GET, CacheOperationTimer.NO_REGION, deadline - this.settings.timeoutNanos());
		return null;
	}

	private @Nullable Object decodeTimed(int index, Region region, String redisKey, byte @Nullable [] raw, long deadline,
			NearCache.@Nullable Ticket ticket) {
		Object value = decode(index, region, redisKey, raw, ticket);
		recordSince(Operation.GET, region.name(), deadline - this.settings.timeoutNanos());
		return value;
	}

	private void recordSince(Operation operation, String region, long start) {
		this.timer.record(this.name, operation, region, System.nanoTime() - start);
	}

	private void recordWrite(Operation operation, @Nullable WriteResult<?> result, long start) {
		recordSince(operation, (result != null && result.taken()) ? this.router.order().get(result.region()).name() : CacheOperationTimer.NO_REGION,
				start);
	}

	/**
	 * Turns what a region returned into a store value: {@code null} for a miss, a tombstone or an
	 * undecodable entry (which is evicted: a poison entry is not a region failure).
	 */
	private @Nullable Object decode(int index, Region region, String redisKey, byte @Nullable [] raw, NearCache.@Nullable Ticket ticket) {
		try {
			StoredEntry entry = StoredEntry.fromBytes(raw);
			if (entry == null || !entry.isPresent()) {
				this.statistics.miss(index);
				return null;
			}
			this.clock.observe(entry.version().stamp());
			Object value = (entry.kind() == StoredEntry.Kind.NULL) ? NullValue.INSTANCE : this.codec.decode(entry.payload());
			this.statistics.hit(index);
			if (ticket != null && this.near != null) {
				this.near.fill(ticket, this.keys.keyText(redisKey), index, entry.version().sortKey(), value);
			}
			return value;
		}
		catch (RuntimeException ex) {
			this.statistics.recordPoisoned(index);
			this.statistics.miss(index);
			logger.warn("Evicting undecodable entry of cache '" + this.name + "' in region '" + region.name() + "': " + ex);
			if (raw != null) {
				// Conditional: the miss makes the caller reload and store a good value, which an
				// unconditional delete arriving after it would remove.
				region.direct().deleteIfSame(redisKey, raw);
			}
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		ValueWrapper cached = get(key);
		if (cached != null) {
			return (T) cached.get();
		}
		return this.loads.load(key, this.keys.redisKey(key), () -> get(key), valueLoader, (value) -> put(key, value));
	}

	// Writes

	@Override
	public void put(Object key, @Nullable Object value) {
		long start = System.nanoTime();
		String redisKey = this.keys.redisKey(key);
		recordWrite(Operation.PUT, await(nearInvalidated(redisKey, writeValue(redisKey, value))), start);
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		String redisKey = this.keys.redisKey(key);
		long start = System.nanoTime();
		StoredEntry entry = toEntry(value);
		if (entry == null) {
			// Not cacheable: unlike put, the existing value stays, since putIfAbsent never replaces it.
			return get(key);
		}
		RegionStore.EncodedEntry encoded = RegionStore.encode(entry.kind(), entry.payload(), this.settings.ttlMillis());
		Write<RegionStore.IfAbsentOutcome> write = new Write<>(redisKey, entry.version(),
				(store) -> store.writeIfAbsent(redisKey, encoded, entry.version()),
				(outcome) -> (outcome.version() != null) ? (store) -> store.write(redisKey, encoded, outcome.version()) : null);
		WriteResult<RegionStore.IfAbsentOutcome> result = await(nearInvalidated(redisKey, replicate(write)));
		recordWrite(Operation.PUT, result, start);
		if (result == null || !result.taken() || result.value() == null) {
			return null;
		}
		this.statistics.put(result.region());
		if (result.value().version() != null) {
			this.clock.observe(result.value().version().stamp());
		}
		Object existing = decode(result.region(), this.router.order().get(result.region()), redisKey, result.value().existing(), null);
		return (existing != null) ? toValueWrapper(existing) : null;
	}

	@Override
	public void evict(Object key) {
		long start = System.nanoTime();
		String redisKey = this.keys.redisKey(key);
		recordWrite(Operation.EVICT, await(nearInvalidated(redisKey, evictKey(redisKey))), start);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		long start = System.nanoTime();
		String redisKey = this.keys.redisKey(key);
		WriteResult<RegionStore.WriteOutcome> result = await(nearInvalidated(redisKey, evictKey(redisKey)));
		recordWrite(Operation.EVICT, result, start);
		return result != null && result.taken() && result.value() != null && result.value().wasPresent();
	}

	@Override
	public void clear() {
		clearAll();
	}

	@Override
	public boolean invalidate() {
		WriteResult<Long> result = clearAll();
		return result != null && result.value() != null && result.value() > 0;
	}

	private @Nullable WriteResult<Long> clearAll() {
		String pattern = this.keys.pattern();
		long start = System.nanoTime();
		CompletableFuture<WriteResult<Long>> clear = replicate(Write.everywhere(ReplayJournal.clearMarker(pattern), (store) -> store.deleteByPattern(pattern)));
		NearCache current = this.near;
		WriteResult<Long> result = await((current != null) ? clear.whenComplete((done, ex) -> current.flush(NearFlushCause.CLEAR)) : clear);
		recordWrite(Operation.CLEAR, result, start);
		return result;
	}

	private CompletableFuture<WriteResult<RegionStore.WriteOutcome>> writeValue(String redisKey, @Nullable Object value) {
		StoredEntry entry = toEntry(value);
		if (entry == null) {
			// Not cacheable: evict instead, so that the previous value is not served as current.
			return evictKey(redisKey);
		}
		return writeFirstThenReplicate(redisKey, entry, this.settings.ttlMillis()).thenApply((result) -> {
			if (result.taken()) {
				this.statistics.put(result.region());
			}
			return result;
		});
	}

	private CompletableFuture<WriteResult<RegionStore.WriteOutcome>> evictKey(String redisKey) {
		return writeFirstThenReplicate(redisKey, StoredEntry.tombstone(nextVersion()), this.settings.tombstoneTtlMillis()).thenApply((result) -> {
			if (result.taken()) {
				this.statistics.eviction(result.region());
			}
			return result;
		});
	}

	/**
	 * The write path of a value, a cached null or a tombstone: the first region stores it with a
	 * version past whatever it replaces (so a write or an eviction always wins there, whatever the
	 * writers' clocks say), and the other regions receive that exact version. Encoded once: the same
	 * bytes go to every region the write reaches.
	 */
	private CompletableFuture<WriteResult<RegionStore.WriteOutcome>> writeFirstThenReplicate(String redisKey, StoredEntry entry, long ttl) {
		RegionStore.EncodedEntry encoded = RegionStore.encode(entry.kind(), entry.payload(), ttl);
		Write<RegionStore.WriteOutcome> write = new Write<>(redisKey, entry.version(), (store) -> store.writeFirst(redisKey, encoded, entry.version()),
				(outcome) -> (store) -> store.write(redisKey, encoded, outcome.version()));
		return replicate(write).thenApply((result) -> {
			RegionStore.WriteOutcome outcome = result.value();
			if (result.taken() && outcome != null) {
				this.clock.observe(outcome.version().stamp());
				if (outcome.repaired()) {
					this.statistics.recordPoisoned(result.region());
				}
				if (outcome.untrusted()) {
					this.clock.refused();
				}
			}
			return result;
		});
	}

	/**
	 * One write through the replicator at this cache's level and within its budget. At the quorum
	 * and all levels the outcome is counted and a shortfall logged (at debug: during a failover every
	 * write falls short); the async level adds nothing to its path.
	 */
	private <T> CompletableFuture<WriteResult<T>> replicate(Write<T> write) {
		ReplicationMode level = this.settings.replication();
		CompletableFuture<WriteResult<T>> result = this.replicator.write(write, level, this.settings.timeoutNanos());
		if (level == ReplicationMode.ASYNC) {
			return result;
		}
		return result.thenApply((outcome) -> {
			Acknowledgements acknowledgements = outcome.acknowledgements();
			if (acknowledgements != null) {
				this.statistics.recordAcknowledgements(acknowledgements.met());
				if (!acknowledgements.met() && logger.isDebugEnabled()) {
					logger.debug("Write to cache '" + this.name + "' returned short of its replication level: " + acknowledgements);
				}
			}
			return outcome;
		});
	}

	/**
	 * The entry to store for a value, or {@code null} when it cannot be cached (not encodable or too
	 * large): then put evicts the key instead. A null the cache does not allow is refused.
	 * @throws IllegalArgumentException for a null when null values are not allowed
	 */
	private @Nullable StoredEntry toEntry(@Nullable Object value) {
		if (value == null && !isAllowNullValues()) {
			// As every Spring cache does: a programming error, not a cache fault, so it is not hidden.
			throw new IllegalArgumentException("Cache '" + this.name + "' is configured to not allow null values but null was provided. "
					+ "Skip nulls with @Cacheable(unless = \"#result == null\") or set resilient-cache.allow-null-values=true.");
		}
		Version version = nextVersion();
		// instanceof, not identity: a NullValue may be a copy (deserialized, or made by reflection).
		if (value == null || value instanceof NullValue) {
			return StoredEntry.nullValue(version);
		}
		byte[] payload;
		try {
			payload = this.codec.encode(value);
		}
		catch (RuntimeException ex) {
			this.statistics.recordNotCached();
			if (this.unencodableTypes.add(value.getClass())) {
				logger.warn("Not caching values of type " + value.getClass().getName() + " in cache '" + this.name + "': " + ex.getMessage()
						+ ". Make it a JSON-friendly type or define a ValueCodec bean. (Logged once per type.)");
			}
			return null;
		}
		if (payload.length > this.settings.maxValueSize()) {
			this.statistics.recordNotCached();
			if (this.unencodableTypes.add(value.getClass())) {
				logger.warn("Not caching a value of " + payload.length + " bytes in cache '" + this.name
					+ "': larger than resilient-cache.max-value-size (" + this.settings.maxValueSize()
					+ " bytes). Logged once per type; the not-cached count goes on.");
			}
			return null;
		}
		return StoredEntry.value(version, payload);
	}

	private Version nextVersion() {
		return new Version(this.clock.next(), this.localRegion);
	}

	/**
	 * Waits for a write on the calling thread, never longer than the operation timeout (plus the
	 * slack the async chain needs to report). A write still running then completes in the background
	 * and journals any region that misses it.
	 */
	private <T> @Nullable T await(CompletableFuture<T> write) {
		try {
			return write.get(this.settings.timeoutNanos() + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Cache write in '" + this.name + "' did not complete in time", ex);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
