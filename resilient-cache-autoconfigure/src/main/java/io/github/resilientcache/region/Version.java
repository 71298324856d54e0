package io.github.resilientcache.region;

import java.util.Comparator;

import org.springframework.util.Assert;

/**
 * Version of a stored entry: a hybrid logical clock stamp plus the region that wrote it. Versions
 * are totally ordered, stamp first, region name second, so every region resolves concurrent writes
 * the same way.
 * @param stamp hybrid logical clock stamp (physical milliseconds in the high 48 bits, a logical
 * counter in the low 16)
 * @param region name of the region the write was first made in
 */
public record Version(long stamp, String region) implements Comparable<Version> {

	private static final Comparator<Version> ORDER = Comparator.comparingLong(Version::stamp)
		.thenComparing(Version::region);

	public Version {
		Assert.isTrue(stamp >= 0, "'stamp' must not be negative");
		Assert.hasText(region, "'region' must not be empty");
	}

	/**
	 * The form stored in Redis and compared by the Lua scripts: 16 hex digits, a colon and the
	 * region, so that string order is version order.
	 * @return the sortable text of this version
	 */
	public String sortKey() {
		String hex = Long.toHexString(this.stamp);
		return "0".repeat(16 - hex.length()) + hex + ":" + this.region;
	}

	/**
	 * Parses the text written by {@link #sortKey()}.
	 * @param sortKey the text
	 * @return the version
	 */
	public static Version parse(String sortKey) {
		int colon = sortKey.indexOf(':');
		Assert.isTrue(colon == 16, () -> "Not a version: '" + sortKey + "'");
		return new Version(Long.parseUnsignedLong(sortKey, 0, 16, 16), sortKey.substring(17));
	}

	@Override
	public int compareTo(Version other) {
		return ORDER.compare(this, other);
	}

}
