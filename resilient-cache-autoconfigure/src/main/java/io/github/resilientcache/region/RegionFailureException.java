package io.github.resilientcache.region;

import org.jspecify.annotations.Nullable;

/**
 * A region could not serve a call: refused, failed, timed out or its breaker is open. Never reaches
 * business code: the cache moves on to another region or treats the call as a miss.
 */
public class RegionFailureException extends RuntimeException {

	private final String region;

	public RegionFailureException(String region, String message, @Nullable Throwable cause) {
		super("Region '" + region + "': " + message, cause, false, false);
		this.region = region;
	}

	public String getRegion() {
		return this.region;
	}

}
