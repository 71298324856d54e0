package io.github.resilientcache.cache;

import java.time.Duration;

import io.github.resilientcache.replication.ReplicationMode;

/**
 * Settings of one cache.
 * @param keyPrefix prefix of every Redis key
 * @param ttl time to live of entries, zero for none
 * @param tombstoneTtl time to live of eviction tombstones
 * @param operationTimeout longest time an operation holds the calling thread: the budget of a read
 * with its failover, and of a write with the acknowledgements its replication level waits for
 * @param maxValueSize largest encoded value cached, in bytes
 * @param allowNullValues whether null values are cached
 * @param protection how values and keys are protected in Redis
 * @param replication how many regions hold a write before the call returns
 */
public record CacheSettings(String keyPrefix, Duration ttl, Duration tombstoneTtl, Duration operationTimeout, long maxValueSize,
		boolean allowNullValues, CacheProtection protection, ReplicationMode replication) {

	/**
	 * Settings of a cache stored in clear, replicated asynchronously.
	 * @param keyPrefix prefix of every Redis key
	 * @param ttl time to live of entries, zero for none
	 * @param tombstoneTtl time to live of eviction tombstones
	 * @param operationTimeout longest time an operation holds the calling thread
	 * @param maxValueSize largest encoded value cached, in bytes
	 * @param allowNullValues whether null values are cached
	 */
	public CacheSettings(String keyPrefix, Duration ttl, Duration tombstoneTtl, Duration operationTimeout, long maxValueSize,
			boolean allowNullValues) {
		this(keyPrefix, ttl, tombstoneTtl, operationTimeout, maxValueSize, allowNullValues, CacheProtection.NONE, ReplicationMode.ASYNC);
	}

	long ttlMillis() {
		return this.ttl.toMillis();
	}

	long tombstoneTtlMillis() {
		return this.tombstoneTtl.toMillis();
	}

	long timeoutNanos() {
		return this.operationTimeout.toNanos();
	}

	/**
	 * The same settings with another time to live.
	 * @param ttl the time to live
	 * @return the settings
	 */
	public CacheSettings withTtl(Duration ttl) {
		return new CacheSettings(this.keyPrefix, ttl, this.tombstoneTtl, this.operationTimeout, this.maxValueSize, this.allowNullValues,
				this.protection, this.replication);
	}

	/**
	 * The same settings with another protection.
	 * @param protection how values and keys are protected
	 * @return the settings
	 */
	public CacheSettings withProtection(CacheProtection protection) {
		return new CacheSettings(this.keyPrefix, this.ttl, this.tombstoneTtl, this.operationTimeout, this.maxValueSize, this.allowNullValues,
				protection, this.replication);
	}

	/**
	 * The same settings with another operation budget.
	 * @param operationTimeout longest time an operation holds the calling thread
	 * @return the settings
	 */
	public CacheSettings withOperationTimeout(Duration operationTimeout) {
		return new CacheSettings(this.keyPrefix, this.ttl, this.tombstoneTtl, operationTimeout, this.maxValueSize, this.allowNullValues,
				this.protection, this.replication);
	}

	/**
	 * The same settings with another replication level.
	 * @param replication how many regions hold a write before the call returns
	 * @return the settings
	 */
	public CacheSettings withReplication(ReplicationMode replication) {
		return new CacheSettings(this.keyPrefix, this.ttl, this.tombstoneTtl, this.operationTimeout, this.maxValueSize, this.allowNullValues,
				this.protection, replication);
	}

}
