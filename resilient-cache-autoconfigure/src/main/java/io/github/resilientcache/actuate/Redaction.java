package io.github.resilientcache.actuate;

import java.util.regex.Pattern;

/**
 * Takes credentials out of the messages the regions' states carry: Redis client exceptions name
 * the server, and an address may hold a user and password ({@code redis://app:secret@host:6379}).
 * The server itself stays, so that health, the endpoint and the stream say which one failed.
 */
final class Redaction {

	/**
	 * The user-info part of a URI, such as app:secret@ in redis://app:secret@host:6379: up to the
	 * last @ of the word, so that a password holding / or @ unencoded is removed whole.
	 */
	private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)\\S*@");

	private Redaction() {
	}

	/**
	 * The message with the credentials of every URI in it removed.
	 * @param message the message
	 * @return the redacted message
	 */
	static String redact(String message) {
		if (message.indexOf('@') < 0) {
			return message;
		}
		return USER_INFO.matcher(message).replaceAll("$1");
	}

}
