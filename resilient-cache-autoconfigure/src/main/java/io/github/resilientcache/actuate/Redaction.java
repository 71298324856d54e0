package io.github.resilientcache.actuate;

import java.util.regex.Pattern;

/**
 * Takes addresses out of the messages the regions' states carry (Redis client exceptions name the
 * server, and an address may hold credentials), so that health, the endpoint and the stream show
 * what failed without showing where the servers are.
 */
final class Redaction {

	static final String ADDRESS = "<address>";

	/** URIs, such as redis://user:secret@host:6379. */
	private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s,;'\"\\])]+");

	/** IPv4 addresses, with the host name and port Netty and Redisson print around them. */
	private static final Pattern IP = Pattern.compile("(?:[A-Za-z0-9.-]+/)?(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?");

	/** IPv6 addresses in brackets, with a port. */
	private static final Pattern IP6 = Pattern.compile("(?:[A-Za-z0-9.-]+/)?\\[[0-9A-Fa-f]*:[0-9A-Za-z:.%]*\\](?::\\d{1,5})?");

	private Redaction() {
	}

	/**
	 * The message with every address replaced by {@value #ADDRESS}.
	 * @param message the message
	 * @return the redacted message
	 */
	static String redact(String message) {
		if (message.indexOf('/') < 0 && message.indexOf('.') < 0 && message.indexOf('[') < 0) {
			return message;
		}
		String redacted = URI.matcher(message).replaceAll(ADDRESS);
		redacted = IP.matcher(redacted).replaceAll(ADDRESS);
		return IP6.matcher(redacted).replaceAll(ADDRESS);
	}

}
