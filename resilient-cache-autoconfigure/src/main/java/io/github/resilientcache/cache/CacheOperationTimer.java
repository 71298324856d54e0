package io.github.resilientcache.cache;

/**
 * Told how long each cache operation took as its caller saw it (failover included), for latency
 * metrics. Called on the caller's thread after every operation: an implementation must be cheap,
 * should not allocate, and must not throw.
 */
@FunctionalInterface
public interface CacheOperationTimer {

	/**
	 * Region reported when no region answered the operation.
	 */
	String NO_REGION = "none";

	/**
	 * Records nothing: the default when no metrics are configured.
	 */
	CacheOperationTimer NONE = (cache, operation, region, nanos) -> {
	};

	/**
	 * Records one operation.
	 * @param cache the cache name
	 * @param operation the operation
	 * @param region the region that answered (the one that took a write), or {@link #NO_REGION}
	 * @param nanos how long the operation held the caller
	 */
	void record(String cache, Operation operation, String region, long nanos);

	/**
	 * Kinds of cache operation.
	 */
	enum Operation {

		/**
		 * A read: {@code get}, {@code retrieve} and the read of {@code get} with a value loader.
		 */
		GET,

		/**
		 * A write of a value: {@code put} and {@code putIfAbsent}.
		 */
		PUT,

		/**
		 * An eviction of one key.
		 */
		EVICT,

		/**
		 * A clear or invalidation of the whole cache.
		 */
		CLEAR

	}

}
