package io.github.resilientcache.region;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Every Redis key and channel name the starter uses, built and parsed back in this one place, all
 * under the application's key prefix so that applications sharing a Redis never touch each other's
 * entries, journals, locks or channels:
 * <pre>
 * &lt;prefix&gt;:&lt;cache&gt;::&lt;key&gt;        a cache entry
 * &lt;prefix&gt;:journal:{&lt;region&gt;}      keys a region missed (a hash, held in another region)
 * &lt;prefix&gt;:resync:{&lt;region&gt;}       the region needs a full resync
 * &lt;prefix&gt;:status:{&lt;region&gt;}       the region is offline for maintenance
 * &lt;prefix&gt;:replay-lock:{&lt;region&gt;}  one instance replays a region at a time
 * &lt;prefix&gt;:anti-entropy-lock       one anti-entropy run at a time across the fleet
 * &lt;prefix&gt;:canary:&lt;instance&gt;       the prober's canary
 * &lt;prefix&gt;:region-status          the channel of confirmed state changes
 * &lt;prefix&gt;:fleet-snapshots        the stream of instances' connectivity snapshots
 * &lt;prefix&gt;:fleet-leader           the lease of the fleet's leader instance
 * &lt;prefix&gt;:fleet-incident:{&lt;region&gt;} the fleet's open incident of a region (held in another region)
 * &lt;prefix&gt;:near-invalidations     the channel of changes of near-cached entries
 * </pre>
 * The prefix and cache names hold no {@code :}, glob or hash-tag characters, so that a cache's
 * pattern matches its own entries only, and an entry key parses back to exactly one cache.
 */
public final class KeySpace {

	/**
	 * Characters a prefix or cache name must not contain: the separator, glob, hash-tag and blanks.
	 */
	public static final String RESERVED = ":*?[]\\{} \t\r\n";

	private static final String CLEAR = "clear:";

	private final String prefix;

	/**
	 * Creates the key space of a prefix.
	 * @param prefix the key prefix
	 * @throws IllegalArgumentException if the prefix is empty or holds a reserved character
	 */
	public KeySpace(String prefix) {
		checkName("Key prefix", prefix);
		this.prefix = prefix;
	}

	/**
	 * Checks a prefix or cache name.
	 * @param what what is checked, for the message
	 * @param name the name
	 * @throws IllegalArgumentException naming the character and the fix
	 */
	public static void checkName(String what, String name) {
		Assert.hasText(name, () -> what + " must not be empty");
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			Assert.isTrue(RESERVED.indexOf(c) < 0, () -> what + " '" + name + "' contains '" + c
					+ "': use letters, digits, '-', '_' or '.' (separator, glob, hash-tag and blank characters are reserved)");
		}
	}

	public String prefix() {
		return this.prefix;
	}

	/**
	 * What every entry key of a cache starts with.
	 * @param cache the cache name
	 * @return {@code <prefix>:<cache>::}
	 */
	public String entryPrefix(String cache) {
		return this.prefix + ":" + cache + "::";
	}

	/**
	 * The glob pattern of every entry of a cache.
	 * @param cache the cache name
	 * @return the pattern
	 */
	public String cachePattern(String cache) {
		return entryPrefix(cache) + "*";
	}

	/**
	 * The glob pattern of every entry of every cache: scans filter what it matches with
	 * {@link #cacheOf(String)}.
	 * @return the pattern
	 */
	public String entryPattern() {
		return this.prefix + ":*::*";
	}

	/**
	 * The cache an entry key belongs to, parsed strictly.
	 * @param redisKey a Redis key
	 * @return the cache name, {@code null} if the key is not an entry key of this prefix
	 */
	public @Nullable String cacheOf(String redisKey) {
		int start = this.prefix.length() + 1;
		if (!redisKey.startsWith(this.prefix) || redisKey.length() <= start || redisKey.charAt(start - 1) != ':') {
			return null;
		}
		int end = redisKey.indexOf("::", start);
		if (end <= start) {
			return null;
		}
		for (int i = start; i < end; i++) {
			if (RESERVED.indexOf(redisKey.charAt(i)) >= 0) {
				return null;
			}
		}
		return redisKey.substring(start, end);
	}

	/**
	 * The journal record of a clear of a cache.
	 * @param cache the cache name
	 * @return the record's key
	 */
	public String clearMarker(String cache) {
		return CLEAR + cachePattern(cache);
	}

	/**
	 * The cache a journal record clears, parsed strictly: only {@code clear:<prefix>:<cache>::*}.
	 * @param record a journal record's key
	 * @return the cache name, {@code null} if the record is not a clear marker of this prefix
	 */
	public @Nullable String clearedCache(String record) {
		if (!record.startsWith(CLEAR) || !record.endsWith("::*")) {
			return null;
		}
		String pattern = record.substring(CLEAR.length());
		String cache = cacheOf(pattern.substring(0, pattern.length() - 1) + "x");
		return (cache != null && pattern.equals(cachePattern(cache))) ? cache : null;
	}

	/**
	 * Whether a journal record's key is a clear marker (well formed or not).
	 * @param record the record's key
	 * @return whether it claims to be a clear
	 */
	public static boolean isClearMarker(String record) {
		return record.startsWith(CLEAR);
	}

	public String journalKey(String region) {
		return this.prefix + ":journal:{" + region + "}";
	}

	/**
	 * Where a region's journal is set aside while the region is resynced from a peer (same hash
	 * tag, so that it can be renamed on a Redis Cluster).
	 * @param region the region
	 * @return the key
	 */
	public String setAsideJournalKey(String region) {
		return journalKey(region) + ":resyncing";
	}

	public String resyncKey(String region) {
		return this.prefix + ":resync:{" + region + "}";
	}

	public String statusKey(String region) {
		return this.prefix + ":status:{" + region + "}";
	}

	public String replayLock(String region) {
		return this.prefix + ":replay-lock:{" + region + "}";
	}

	public String antiEntropyLock() {
		return this.prefix + ":anti-entropy-lock";
	}

	public String canaryKey(String instance) {
		return this.prefix + ":canary:" + instance;
	}

	public String statusChannel() {
		return this.prefix + ":region-status";
	}

	public String fleetStream() {
		return this.prefix + ":fleet-snapshots";
	}

	public String fleetLeaderKey() {
		return this.prefix + ":fleet-leader";
	}

	public String fleetIncidentKey(String region) {
		return this.prefix + ":fleet-incident:{" + region + "}";
	}

	/**
	 * The channel on which a region announces changes of the entries of caches that keep a near
	 * tier, and on which instances send heartbeats.
	 * @return the channel
	 */
	public String nearChannel() {
		return this.prefix + ":near-invalidations";
	}

}
