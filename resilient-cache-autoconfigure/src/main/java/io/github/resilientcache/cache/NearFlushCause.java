package io.github.resilientcache.cache;

/**
 * Why a near tier dropped every entry at once: each is a doubt about whether an entry still holds
 * what its region holds.
 */
public enum NearFlushCause {

	/** The invalidation channel of a region went silent (no heartbeat within the window). */
	CHANNEL_LOST,

	/** The invalidation channel of a region delivers again, after a silence or a resubscription. */
	CHANNEL_RESTORED,

	/** A region changed state (OPEN, RECOVERING, UP, OFFLINE). */
	REGION_STATE,

	/** Reads of the cache are now served by another region than before. */
	FAILOVER,

	/** The cache was cleared, in this instance or another. */
	CLEAR;

	/**
	 * The tag value of this cause.
	 * @return the cause in lowercase, with dashes
	 */
	public String tag() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
