package io.github.resilientcache.sample.embedded;

/**
 * What an embedded region's Redis server is doing, as the demo's region controls left it.
 */
public enum ServerState {

	/**
	 * Running and answering.
	 */
	RUNNING,

	/**
	 * Frozen with SIGSTOP: connections are accepted, nothing is answered.
	 */
	HUNG,

	/**
	 * Not running: connections are refused.
	 */
	STOPPED

}
