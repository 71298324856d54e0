package io.github.resilientcache.region;

/**
 * Lifecycle state of a region as seen by this application instance.
 */
public enum RegionState {

	/**
	 * Serving reads and taking writes.
	 */
	UP,

	/**
	 * Failed over: its breaker opened or another instance reported it failed. Not read from; writes
	 * are journaled. Only the failback prober moves it on.
	 */
	OPEN,

	/**
	 * Probes succeed and the writes it missed are being replayed. Not read from yet.
	 */
	RECOVERING,

	/**
	 * Taken out by an operator, for maintenance. Not read from; writes are journaled.
	 */
	OFFLINE;

	/**
	 * Whether reads may be served by a region in this state.
	 * @return {@code true} only for {@link #UP}
	 */
	public boolean isServing() {
		return this == UP;
	}

}
