package io.github.resilientcache.cache;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of stored values the codec refused to decode, by reason, read by the metrics binder. A
 * refused value is then treated as poison by the cache (a miss, the entry evicted).
 */
public final class DecodeRejections {

	private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

	public DecodeRejections() {
		for (Reason reason : Reason.values()) {
			this.counts.put(reason, new LongAdder());
		}
	}

	/**
	 * Values refused for a reason since start.
	 * @param reason the reason
	 * @return the count
	 */
	public long count(Reason reason) {
		return this.counts.get(reason).sum();
	}

	/**
	 * Counts a refusal and returns the exception to throw.
	 * @param reason why
	 * @param message what was refused and the fix, naming no secret and no value
	 * @return the exception
	 */
	IllegalArgumentException reject(Reason reason, String message) {
		this.counts.get(reason).increment();
		return new IllegalArgumentException(message);
	}

	/**
	 * Why a value was refused.
	 */
	public enum Reason {

		/** It names a class outside the allowlist. */
		TYPE,

		/** It is larger than {@code resilient-cache.max-value-size}. */
		SIZE,

		/** It exceeds the parser's limits (nesting depth, string or number length). */
		LIMITS,

		/** It is encrypted with a key this instance does not have, or fails authentication. */
		KEY,

		/** It is in clear in a cache that stores encrypted values only. */
		CLEARTEXT,

		/** It decoded to a type the {@code @Cacheable} method reading it cannot return. */
		RETURN_TYPE;

		/**
		 * The reason as a meter tag value.
		 * @return the lower-case name
		 */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

}
