package io.github.resilientcache.cache;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.replication.ReplicationMode;

/**
 * Counters of one cache, per region that served the operation, read by the metrics binder.
 * LongAdders: cheap on the hot path under contention, summed only when scraped.
 */
public final class CacheStatistics {

	private final List<String> regionNames;

	private final LongAdder[] hits;

	private final LongAdder[] misses;

	private final LongAdder[] puts;

	private final LongAdder[] evictions;

	private final LongAdder[] poisoned;

	private final LongAdder failovers = new LongAdder();

	private final LongAdder unavailable = new LongAdder();

	private final LongAdder notCached = new LongAdder();

	private final ReplicationMode replication;

	private final LongAdder acknowledged = new LongAdder();

	private final LongAdder shortfalls = new LongAdder();

	CacheStatistics(List<Region> regions, ReplicationMode replication) {
		this.replication = replication.level();
		this.regionNames = regions.stream().map(Region::name).toList();
		this.hits = adders(regions.size());
		this.misses = adders(regions.size());
		this.puts = adders(regions.size());
		this.evictions = adders(regions.size());
		this.poisoned = adders(regions.size());
	}

	private static LongAdder[] adders(int size) {
		LongAdder[] adders = new LongAdder[size];
		for (int i = 0; i < size; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}

	/**
	 * Names of the regions, in the order the per-region counters are indexed.
	 * @return the region names, local first
	 */
	public List<String> regionNames() {
		return this.regionNames;
	}

	public long hits(int region) {
		return this.hits[region].sum();
	}

	public long misses(int region) {
		return this.misses[region].sum();
	}

	public long puts(int region) {
		return this.puts[region].sum();
	}

	public long evictions(int region) {
		return this.evictions[region].sum();
	}

	/**
	 * Entries that could not be decoded and were evicted.
	 * @param region the region index
	 * @return the count
	 */
	public long poisoned(int region) {
		return this.poisoned[region].sum();
	}

	/**
	 * Reads served by a region other than the local one.
	 * @return the count
	 */
	public long failovers() {
		return this.failovers.sum();
	}

	/**
	 * Reads no region could answer (treated as misses).
	 * @return the count
	 */
	public long unavailable() {
		return this.unavailable.sum();
	}

	/**
	 * Values that were not cached: too large or not encodable.
	 * @return the count
	 */
	public long notCached() {
		return this.notCached.sum();
	}

	/**
	 * The cache's replication level ({@code SYNC} read as {@code ALL}).
	 * @return the level
	 */
	public ReplicationMode replication() {
		return this.replication;
	}

	/**
	 * Writes at the quorum or all level that as many regions acknowledged as the level asks for
	 * before the call returned.
	 * @return the count
	 */
	public long acknowledged() {
		return this.acknowledged.sum();
	}

	/**
	 * Writes at the quorum or all level that returned with fewer acknowledgements than the level
	 * asks for: the regions missing have the write in their journal.
	 * @return the count
	 */
	public long shortfalls() {
		return this.shortfalls.sum();
	}

	public long totalHits() {
		return sum(this.hits);
	}

	public long totalMisses() {
		return sum(this.misses) + unavailable();
	}

	public long totalPuts() {
		return sum(this.puts);
	}

	public long totalEvictions() {
		return sum(this.evictions);
	}

	private static long sum(LongAdder[] adders) {
		long total = 0;
		for (LongAdder adder : adders) {
			total += adder.sum();
		}
		return total;
	}

	void hit(int region) {
		this.hits[region].increment();
		if (region != 0) {
			this.failovers.increment();
		}
	}

	void miss(int region) {
		this.misses[region].increment();
		if (region != 0) {
			this.failovers.increment();
		}
	}

	void put(int region) {
		this.puts[region].increment();
	}

	void eviction(int region) {
		this.evictions[region].increment();
	}

	void recordPoisoned(int region) {
		this.poisoned[region].increment();
	}

	void recordUnavailable() {
		this.unavailable.increment();
	}

	void recordNotCached() {
		this.notCached.increment();
	}

	void recordAcknowledgements(boolean met) {
		(met ? this.acknowledged : this.shortfalls).increment();
	}

}
