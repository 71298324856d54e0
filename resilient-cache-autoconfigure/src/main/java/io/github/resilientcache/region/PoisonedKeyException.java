package io.github.resilientcache.region;

import org.jspecify.annotations.Nullable;

/**
 * A region answered, but the key holds something the cache cannot use (a Redis type other than a
 * string, e.g. a hash written by someone else): a fault of that key, not of the region. Never
 * recorded on the breaker, never journaled; the cache repairs the key and counts it.
 */
public final class PoisonedKeyException extends RegionFailureException {

	PoisonedKeyException(String region, String message, @Nullable Throwable cause) {
		super(region, message, cause);
	}

	/**
	 * Whether a Redis error is a wrong-type error at a key (also when raised inside a script).
	 * @param ex the error
	 * @return whether it names a key of the wrong type
	 */
	static boolean isWrongType(Throwable ex) {
		String message = ex.getMessage();
		return message != null && message.contains("WRONGTYPE");
	}

}
