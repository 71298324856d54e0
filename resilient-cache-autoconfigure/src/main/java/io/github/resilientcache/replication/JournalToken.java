package io.github.resilientcache.replication;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resilientcache.region.Version;
import io.github.resilientcache.replication.ReplayJournal.Repair;
import org.jspecify.annotations.Nullable;

/**
 * The value of a journal record in Redis: {@code <instance>:<sequence>:COPY} or
 * {@code <instance>:<sequence>:DELETE@<version>}. Unique per record, so that a replayed record is
 * removed only if it was not written again meanwhile. Read back from Redis, so parsed strictly.
 * @param instance the instance that wrote the record
 * @param sequence its sequence in that instance
 * @param repair what replay does
 * @param version for a {@code DELETE}, the version of the write no region took
 */
public record JournalToken(String instance, long sequence, Repair repair, @Nullable Version version) {

	private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9._-]{1,100}):([0-9]{1,18}):(COPY|DELETE@([0-9a-f]{16}:[A-Za-z0-9._-]{1,100}))");

	/**
	 * The text of a record.
	 * @param instance the writing instance
	 * @param sequence its sequence
	 * @param repair the repair
	 * @param version the version of a {@code DELETE}
	 * @return the token
	 */
	static String of(String instance, long sequence, Repair repair, @Nullable Version version) {
		String head = instance + ":" + sequence + ":";
		return (repair == Repair.DELETE && version != null) ? head + "DELETE@" + version.sortKey() : head + Repair.COPY.name();
	}

	/**
	 * Parses a record's text.
	 * @param text what was read
	 * @return the token, {@code null} if the text is not one
	 */
	public static @Nullable JournalToken parse(String text) {
		Matcher matcher = FORMAT.matcher(text);
		if (!matcher.matches()) {
			return null;
		}
		String version = matcher.group(4);
		return new JournalToken(matcher.group(1), Long.parseLong(matcher.group(2)), (version != null) ? Repair.DELETE : Repair.COPY,
				(version != null) ? Version.parse(version) : null);
	}

}
