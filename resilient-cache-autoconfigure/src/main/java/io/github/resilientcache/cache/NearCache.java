package io.github.resilientcache.cache;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * The in-process tier of one cache: decoded values read from a region, served with no network call
 * while nothing casts doubt on them. An entry is served only while
 * <ul>
 * <li>no flush happened since it was read (an epoch: lost or restored channel, region state
 * change, failover, clear),</li>
 * <li>it is younger than max-staleness, counted from before the read that filled it,</li>
 * <li>its region's invalidation channel is live (a message within the silence window) and the
 * region serves.</li>
 * </ul>
 * <b>The fill race.</b> A read takes a {@link Ticket} (epoch and the sequence of the key's stripe)
 * before it asks the region; every invalidation bumps the stripe's sequence before it drops the
 * entry, and a fill stores only if both are unchanged, inside the entry's {@code compute}. So a
 * value fetched before an invalidation was processed is either refused (the bump came first) or
 * stored and then dropped (the drop, serialized on the same key, comes after). Both sides use
 * {@code compute}, which always takes the key's lock.
 * <p>
 * Thread-safe; every method is short and never blocks on the network.
 */
public final class NearCache {

	private static final int STRIPES = 1024;

	private final String name;

	private final Cache<String, Entry> entries;

	private final AtomicLongArray sequences = new AtomicLongArray(STRIPES);

	private final AtomicLong epoch = new AtomicLong();

	private final long maxStalenessNanos;

	private final NearInvalidations invalidations;

	private final IntPredicate serving;

	/** Length of the prefix of the cache's Redis keys: an announced key's near key follows it. */
	private final int keyPrefixLength;

	private volatile int followed = -1;

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder invalidationsReceived = new LongAdder();

	private final Map<NearFlushCause, LongAdder> flushes = new EnumMap<>(NearFlushCause.class);

	/**
	 * Creates the tier.
	 * @param name the cache name
	 * @param settings its bounds
	 * @param invalidations the instance's announcement listener, which tells whether a region's
	 * channel is live
	 * @param serving whether the region of an index (in failover order) serves reads now
	 * @param keyPrefixLength the length of the prefix of the cache's Redis keys
	 */
	NearCache(String name, NearCacheSettings settings, NearInvalidations invalidations, IntPredicate serving, int keyPrefixLength) {
		this.name = name;
		this.keyPrefixLength = keyPrefixLength;
		this.maxStalenessNanos = settings.maxStaleness().toNanos();
		this.entries = Caffeine.newBuilder()
			.maximumSize(settings.maxSize())
			.expireAfterWrite(settings.maxStaleness().toNanos(), TimeUnit.NANOSECONDS)
			.build();
		this.invalidations = invalidations;
		this.serving = serving;
		for (NearFlushCause cause : NearFlushCause.values()) {
			this.flushes.put(cause, new LongAdder());
		}
	}

	public String name() {
		return this.name;
	}

	/**
	 * The value of a key if an entry may be served now. Keys are near keys: a Redis key without the
	 * cache's prefix (see {@code CacheKeys#nearKey}).
	 * @param key the near key
	 * @param countMiss whether to count a miss (a caller that reads the tier again on a miss does not)
	 * @return the decoded value (maybe a {@code NullValue}), {@code null} on a near miss
	 */
	@Nullable Object get(String key, boolean countMiss) {
		Entry entry = this.entries.getIfPresent(key);
		if (entry != null) {
			long now = System.nanoTime();
			if (entry.epoch == this.epoch.get() && now - entry.since < this.maxStalenessNanos && this.invalidations.isLive(entry.region, now)
					&& this.serving.test(entry.region)) {
				this.hits.increment();
				return entry.value;
			}
			this.entries.asMap().remove(key, entry);
		}
		if (countMiss) {
			this.misses.increment();
		}
		return null;
	}

	/**
	 * Taken before a read asks a region, so that its fill can tell whether anything invalidated the
	 * key meanwhile.
	 * @param key the near key
	 * @return the ticket
	 */
	Ticket ticket(String key) {
		// Time first: the entry's age counts from before anything that may have been missed.
		long since = System.nanoTime();
		long epochNow = this.epoch.get();
		return new Ticket(epochNow, this.sequences.get(stripe(key)), since);
	}

	/**
	 * Stores a value a region returned, unless anything invalidated the key or flushed the tier
	 * since the ticket was taken. A read served by another region than the previous reads flushes
	 * the tier first (a failover) and stores nothing.
	 * @param ticket taken before the read
	 * @param key the near key
	 * @param region index of the region that returned it
	 * @param version the entry's version (sort key)
	 * @param value the decoded value
	 */
	void fill(Ticket ticket, String key, int region, String version, Object value) {
		if (!servedBy(region) || !this.invalidations.isLive(region, System.nanoTime())) {
			return;
		}
		int stripe = stripe(key);
		this.entries.asMap().compute(key, (k, old) -> (this.epoch.get() == ticket.epoch && this.sequences.get(stripe) == ticket.sequence)
				? new Entry(value, version, region, ticket.epoch, ticket.since) : old);
	}

	/**
	 * Notes which region served a read of this cache: another region than before is a failover,
	 * which flushes the tier.
	 * @param region the region's index
	 * @return whether it is the region reads followed already
	 */
	boolean servedBy(int region) {
		int previous = this.followed;
		if (previous == region) {
			return true;
		}
		this.followed = region;
		if (previous >= 0) {
			flush(NearFlushCause.FAILOVER);
			return false;
		}
		return true;
	}

	/**
	 * An announcement of a region: drops the key's entry unless it came from another region or holds
	 * a newer version, and refuses fills of the key in flight.
	 * @param region the announcing region's index
	 * @param redisKey the Redis key
	 * @param version the version the key holds now in that region, empty when deleted
	 */
	void invalidate(int region, String redisKey, String version) {
		this.invalidationsReceived.increment();
		String key = redisKey.substring(this.keyPrefixLength);
		this.sequences.incrementAndGet(stripe(key));
		// compute, not computeIfPresent: Caffeine's computeIfPresent returns at once when it does not
		// see the key, without waiting for a fill computing it right now, which would then survive.
		this.entries.asMap().compute(key, (k, entry) -> (entry != null
				&& (entry.region != region || (!version.isEmpty() && entry.version.compareTo(version) > 0))) ? entry : null);
	}

	/**
	 * A write of this instance reached the regions: the entry goes, whatever its version, so that
	 * this instance reads its own writes.
	 * @param key the near key
	 */
	void invalidateLocal(String key) {
		this.sequences.incrementAndGet(stripe(key));
		this.entries.asMap().compute(key, (k, entry) -> null);
	}

	/**
	 * Drops every entry and refuses every fill in flight.
	 * @param cause why
	 */
	void flush(NearFlushCause cause) {
		this.epoch.incrementAndGet();
		this.entries.invalidateAll();
		this.flushes.get(cause).increment();
	}

	private static int stripe(String key) {
		int h = key.hashCode();
		return (h ^ (h >>> 16)) & (STRIPES - 1);
	}

	public long hits() {
		return this.hits.sum();
	}

	public long misses() {
		return this.misses.sum();
	}

	public long invalidationsReceived() {
		return this.invalidationsReceived.sum();
	}

	public long flushes(NearFlushCause cause) {
		return this.flushes.get(cause).sum();
	}

	public long size() {
		return this.entries.estimatedSize();
	}

	/**
	 * The region whose reads the tier follows: every entry it holds was read from it.
	 * @return its index, {@code -1} before the first read
	 */
	int followed() {
		return this.followed;
	}

	/**
	 * The version of a key's entry, if the tier holds one read from a region (tests).
	 * @param key the near key
	 * @param region the region's index
	 * @return the entry's version, {@code null} if there is none of that region
	 */
	@Nullable String versionOf(String key, int region) {
		Entry entry = this.entries.getIfPresent(key);
		return (entry != null && entry.region == region) ? entry.version : null;
	}

	/**
	 * Flushes of every cause so far.
	 * @return the count
	 */
	long flushes() {
		long total = 0;
		for (LongAdder count : this.flushes.values()) {
			total += count.sum();
		}
		return total;
	}

	/**
	 * Whether the tier serves now: the invalidation channel of the region its reads follow delivers.
	 * @return whether it is live
	 */
	public boolean isLive() {
		int region = this.followed;
		return this.invalidations.isLive(Math.max(region, 0), System.nanoTime());
	}

	/**
	 * What a read saw before it asked a region.
	 * @param epoch the tier's flush epoch
	 * @param sequence the invalidation sequence of the key's stripe
	 * @param since when the read started, in {@link System#nanoTime()} units
	 */
	record Ticket(long epoch, long sequence, long since) {
	}

	private record Entry(Object value, String version, int region, long epoch, long since) {
	}

}
