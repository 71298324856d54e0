package io.github.resilientcache.region;

import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Where a region announces changes of the keys near caches hold, and the text of an announcement:
 * {@code <kind><microseconds since the epoch>\n<version>\n<subject>}. Kinds: {@code K} a key
 * changed (an empty version for a delete), {@code C} every key of a pattern was deleted (a clear),
 * {@code H} a heartbeat that proves the channel delivers. The time is the server's when the
 * announcement comes from a script (the write's own time), else the sender's.
 * @param channel the channel's name, encoded for scripts
 * @param name the channel's name
 * @param announced whether a Redis key belongs to a cache that keeps a near tier
 */
public record NearAnnouncements(byte[] channel, String name, Predicate<String> announced) {

	/**
	 * The announcement of a changed key.
	 * @param micros the time of the change
	 * @param version the version the key holds now, empty when it was deleted
	 * @param key the Redis key
	 * @return the message
	 */
	public static String keyMessage(long micros, String version, String key) {
		return "K" + micros + "\n" + version + "\n" + key;
	}

	/**
	 * The announcement of a clear.
	 * @param micros the time of the clear
	 * @param pattern the pattern of the deleted keys
	 * @return the message
	 */
	public static String clearMessage(long micros, String pattern) {
		return "C" + micros + "\n\n" + pattern;
	}

	/**
	 * A heartbeat.
	 * @param micros the time it was sent
	 * @param sender who sent it
	 * @return the message
	 */
	public static String heartbeat(long micros, String sender) {
		return "H" + micros + "\n\n" + sender;
	}

	/**
	 * Parses an announcement strictly (it is data read from Redis).
	 * @param message the message
	 * @return the announcement, {@code null} when the message is not one
	 */
	public static @Nullable Announcement parse(String message) {
		if (message.length() < 4) {
			return null;
		}
		char kind = message.charAt(0);
		if (kind != 'K' && kind != 'C' && kind != 'H') {
			return null;
		}
		int first = message.indexOf('\n', 1);
		int second = (first > 0) ? message.indexOf('\n', first + 1) : -1;
		if (first < 2 || first > 19 || second < 0 || second == message.length() - 1) {
			return null;
		}
		long micros = 0;
		for (int i = 1; i < first; i++) {
			char c = message.charAt(i);
			if (c < '0' || c > '9') {
				return null;
			}
			micros = micros * 10 + (c - '0');
		}
		return new Announcement(kind, micros, message.substring(first + 1, second), message.substring(second + 1));
	}

	/**
	 * One announcement.
	 * @param kind {@code K}, {@code C} or {@code H}
	 * @param micros when it was made, in microseconds since the epoch
	 * @param version the version the key holds now (an entry's sort key), empty for a delete
	 * @param subject the key, the pattern or the sender
	 */
	public record Announcement(char kind, long micros, String version, String subject) {

	}

}
