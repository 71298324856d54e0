package io.github.resilientcache.actuate;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * Every meter of the multi-region cache, with its type, tags and description. Counters read the
 * cache's own counters ({@code FunctionCounter}), so they cost nothing on the hot path; they start
 * when the cache is first used, or at start for region and recovery meters.
 */
public enum ResilientCacheMeters implements MeterDocumentation {

	/**
	 * Reads answered by a region, by result.
	 */
	CACHE_GETS("resilient.cache.gets", Meter.Type.COUNTER, "Reads answered by a region, by result (hit or miss)",
			Tag.CACHE, Tag.REGION, Tag.RESULT),

	/**
	 * Values written, by the region that took the write first.
	 */
	CACHE_PUTS("resilient.cache.puts", Meter.Type.COUNTER, "Values written, by the region that took the write first",
			Tag.CACHE, Tag.REGION),

	/**
	 * Evictions, by the region that took them first.
	 */
	CACHE_EVICTIONS("resilient.cache.evictions", Meter.Type.COUNTER, "Evictions, by the region that took them first",
			Tag.CACHE, Tag.REGION),

	/**
	 * Entries that could not be decoded and were evicted.
	 */
	CACHE_POISONED("resilient.cache.poisoned", Meter.Type.COUNTER, "Entries that could not be decoded and were evicted",
			Tag.CACHE, Tag.REGION),

	/**
	 * Stored values the codec refused to decode, by reason; each is then treated as poison.
	 */
	CODEC_REJECTED("resilient.cache.codec.rejected", Meter.Type.COUNTER,
			"Stored values the codec refused to decode (treated as poison), by reason: type, size, limits, key or cleartext",
			Tag.REASON),

	/**
	 * Reads answered by a region other than the local one.
	 */
	CACHE_FAILOVERS("resilient.cache.failovers", Meter.Type.COUNTER, "Reads answered by a region other than the local one",
			Tag.CACHE),

	/**
	 * Reads no region could answer, treated as misses.
	 */
	CACHE_UNAVAILABLE("resilient.cache.unavailable", Meter.Type.COUNTER, "Reads no region could answer, treated as misses",
			Tag.CACHE),

	/**
	 * Values not cached because they were too large or could not be encoded.
	 */
	CACHE_NOT_CACHED("resilient.cache.not.cached", Meter.Type.COUNTER, "Values not cached: too large or not encodable",
			Tag.CACHE),

	/**
	 * Time an operation held its caller, failover included.
	 */
	CACHE_LATENCY("resilient.cache.latency", Meter.Type.TIMER,
			"Time an operation held its caller, failover included, by the region that answered (none when no region did)",
			Tag.CACHE, Tag.OPERATION, Tag.REGION),

	/**
	 * Reads of a cache's near tier, by result.
	 */
	NEAR_GETS("resilient.cache.near.gets", Meter.Type.COUNTER,
			"Reads of the near tier, by result: hit (served from memory, no network call) or miss (read from a region)", Tag.CACHE,
			Tag.RESULT),

	/**
	 * Announcements of changed keys a near tier received.
	 */
	NEAR_INVALIDATIONS("resilient.cache.near.invalidations", Meter.Type.COUNTER,
			"Announcements of changed keys the near tier received (from every region it listens to)", Tag.CACHE),

	/**
	 * Times a near tier dropped every entry, by cause.
	 */
	NEAR_FLUSHES("resilient.cache.near.flushes", Meter.Type.COUNTER,
			"Times the near tier dropped every entry, by cause: channel-lost, channel-restored, region-state, failover or clear",
			Tag.CACHE, Tag.CAUSE),

	/**
	 * Entries a near tier holds.
	 */
	NEAR_SIZE("resilient.cache.near.size", Meter.Type.GAUGE, "Entries the near tier holds (an estimate)", Tag.CACHE),

	/**
	 * Whether a near tier serves now.
	 */
	NEAR_LIVE("resilient.cache.near.live", Meter.Type.GAUGE,
			"1 while the near tier serves (the invalidation channel of the region its reads follow delivers), else 0", Tag.CACHE),

	/**
	 * Time from a change in a region to its invalidation here.
	 */
	NEAR_INVALIDATION_LAG("resilient.cache.near.invalidation.lag", Meter.Type.TIMER,
			"Time from a change in a region (the announcement's timestamp) to the drop of the near entry in this instance; "
					+ "compares two clocks across hosts",
			Tag.CACHE, Tag.REGION),

	/**
	 * Messages on the near-cache channel that were not announcements.
	 */
	NEAR_REJECTED("resilient.cache.near.rejected", Meter.Type.COUNTER,
			"Messages on the near-cache channel that were not well-formed announcements (forged or foreign data), ignored"),

	/**
	 * State of a region as a number.
	 */
	REGION_STATE("resilient.region.state", Meter.Type.GAUGE, "State of a region: 0 UP, 1 RECOVERING, 2 OPEN, 3 OFFLINE",
			Tag.REGION),

	/**
	 * One gauge per region and state: 1 when the region is in that state.
	 */
	REGION_IN_STATE("resilient.region.in.state", Meter.Type.GAUGE, "1 when the region is in the state of the state tag, else 0",
			Tag.REGION, Tag.STATE),

	/**
	 * State changes of a region, by the state entered.
	 */
	REGION_TRANSITIONS("resilient.region.transitions", Meter.Type.COUNTER, "State changes of a region, by the state entered",
			Tag.REGION, Tag.STATE),

	/**
	 * Background replications in flight.
	 */
	REPLICATION_IN_FLIGHT("resilient.replication.in.flight", Meter.Type.GAUGE, "Background replications in flight"),

	/**
	 * Replications completed.
	 */
	REPLICATION_COMPLETED("resilient.replication.completed", Meter.Type.COUNTER, "Replications to another region completed"),

	/**
	 * Time replications took (count and total, from the write path's counters).
	 */
	REPLICATION_LAG("resilient.replication.lag", Meter.Type.TIMER, "Time a replication to another region took"),

	/**
	 * Writes of caches at the quorum or all replication level, by whether as many regions
	 * acknowledged as the level asks for before the call returned.
	 */
	REPLICATION_ACKNOWLEDGEMENTS("resilient.replication.acknowledgements", Meter.Type.COUNTER,
			"Writes at the quorum or all replication level, by outcome: met (as many regions acknowledged as the level asks for "
					+ "before the call returned) or shortfall (the regions missing have the write in their journal)",
			Tag.CACHE, Tag.LEVEL, Tag.OUTCOME),

	/**
	 * Keys journaled for a region that it has not received yet.
	 */
	JOURNAL_DEPTH("resilient.journal.depth", Meter.Type.GAUGE, "Keys journaled for a region that it has not received yet",
			Tag.REGION),

	/**
	 * Writes a region missed and got in its journal.
	 */
	JOURNAL_RECORDED("resilient.journal.recorded", Meter.Type.COUNTER, "Writes a region missed, recorded in its journal",
			Tag.REGION),

	/**
	 * Keys replayed into a region from its journal.
	 */
	REPLAY_ENTRIES("resilient.replay.entries", Meter.Type.COUNTER, "Keys replayed into a region from its journal", Tag.REGION),

	/**
	 * Keys whose regions disagreed in an anti-entropy run.
	 */
	RECONCILIATION_DIVERGENT("resilient.reconciliation.divergent", Meter.Type.COUNTER,
			"Keys whose regions disagreed in an anti-entropy run"),

	/**
	 * Keys repaired by anti-entropy.
	 */
	RECONCILIATION_REPAIRED("resilient.reconciliation.repaired", Meter.Type.COUNTER, "Keys repaired by anti-entropy"),

	/**
	 * Time an anti-entropy run took.
	 */
	RECONCILIATION_DURATION("resilient.reconciliation.duration", Meter.Type.TIMER, "Time an anti-entropy run took (skipped runs excluded)"),

	/**
	 * Version stamps refused as too far ahead of the clock.
	 */
	VERSIONS_REFUSED("resilient.versions.refused", Meter.Type.COUNTER,
			"Version stamps read from Redis refused as further ahead of the clock than max-clock-drift"),

	/**
	 * Journal records rejected as not written by the starter.
	 */
	JOURNAL_REJECTED("resilient.journal.rejected", Meter.Type.COUNTER,
			"Journal records read from Redis that the starter does not write (forged or corrupt): removed, never executed"),

	/**
	 * Status messages rejected.
	 */
	COORDINATION_REJECTED("resilient.coordination.rejected", Meter.Type.COUNTER,
			"Region status messages and stored statuses rejected: malformed, or not signed with the coordination secret");

	private final String name;

	private final Meter.Type type;

	private final String description;

	private final KeyName[] keyNames;

	ResilientCacheMeters(String name, Meter.Type type, String description, KeyName... keyNames) {
		this.name = name;
		this.type = type;
		this.description = description;
		this.keyNames = keyNames;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Meter.Type getType() {
		return this.type;
	}

	@Override
	public KeyName[] getKeyNames() {
		return this.keyNames.clone();
	}

	/**
	 * What the meter measures, as registered with it.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Tags of the meters.
	 */
	public enum Tag implements KeyName {

		/**
		 * Cache name.
		 */
		CACHE("cache"),

		/**
		 * Region name; {@code none} for an operation no region answered.
		 */
		REGION("region"),

		/**
		 * {@code hit} or {@code miss}.
		 */
		RESULT("result"),

		/**
		 * {@code get}, {@code put}, {@code evict} or {@code clear}.
		 */
		OPERATION("operation"),

		/**
		 * {@code UP}, {@code RECOVERING}, {@code OPEN} or {@code OFFLINE}.
		 */
		STATE("state"),

		/**
		 * Why the codec refused a value: {@code type}, {@code size}, {@code limits}, {@code key}
		 * or {@code cleartext}.
		 */
		REASON("reason"),

		/**
		 * Replication level of a cache: {@code quorum} or {@code all}.
		 */
		LEVEL("level"),

		/**
		 * Outcome of a write's acknowledgements: {@code met} or {@code shortfall}.
		 */
		OUTCOME("outcome"),

		/**
		 * Why a near tier was flushed: {@code channel-lost}, {@code channel-restored},
		 * {@code region-state}, {@code failover} or {@code clear}.
		 */
		CAUSE("cause");

		private final String key;

		Tag(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
