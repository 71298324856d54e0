package io.github.resilientcache.replication;

/**
 * How a write reaches the regions other than the first one that took it.
 */
public enum ReplicationMode {

	/**
	 * The other regions are written in the background; the call waits for one region only.
	 */
	ASYNC,

	/**
	 * Every available region is written before the call returns.
	 */
	SYNC

}
