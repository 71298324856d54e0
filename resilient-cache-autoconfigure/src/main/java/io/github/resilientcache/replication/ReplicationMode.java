package io.github.resilientcache.replication;

/**
 * How many regions must hold a write before the call returns: the consistency level of a cache. A
 * region that cannot acknowledge within the operation budget gets the write in its journal and the
 * call still succeeds; the level only says how long the caller waits, never whether it fails.
 */
public enum ReplicationMode {

	/**
	 * The call waits for the first region that takes the write; the others are written in the
	 * background.
	 */
	ASYNC,

	/**
	 * The call waits until a majority of the configured regions (2 of 2, 2 of 3, 3 of 4 or 5) hold
	 * the write, the first region included; the others are written in the background.
	 */
	QUORUM,

	/**
	 * The call waits until every region that takes writes now (UP or RECOVERING) holds the write, or
	 * failed to within the budget; regions failed over or offline are journaled, not waited for.
	 */
	ALL,

	/**
	 * The same as {@link #ALL}: the name of that level before {@link #QUORUM} existed, kept so that
	 * existing configurations keep their meaning.
	 */
	SYNC;

	/**
	 * This level with {@link #SYNC} read as {@link #ALL}, the name meters and logs use.
	 * @return the level
	 */
	public ReplicationMode level() {
		return (this == SYNC) ? ALL : this;
	}

	/**
	 * How many regions must acknowledge a write at this level, the first one included.
	 * @param regions the number of configured regions
	 * @return the number of acknowledgements the caller waits for
	 */
	public int required(int regions) {
		return switch (level()) {
			case ASYNC -> 1;
			case QUORUM -> regions / 2 + 1;
			default -> regions;
		};
	}

}
