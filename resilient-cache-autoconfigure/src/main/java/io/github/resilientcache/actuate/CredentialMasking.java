package io.github.resilientcache.actuate;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the credentials of the Redis addresses in a text, whatever characters the password holds
 * ({@code @}, {@code :}, {@code /}, {@code %}, blanks): everything between {@code ://} and the last
 * {@code @} before the next address (or the end of the text) is replaced, so a password is never
 * cut at one of its own characters. It may hide more than the credentials of an odd text; it never
 * shows part of a password. Needs nothing of Actuator, so start-up validation uses it too.
 */
public final class CredentialMasking {

	/** What replaces the credentials. */
	public static final String MASK = "******";

	private static final Pattern SCHEME = Pattern.compile("(?i)rediss?://");

	private CredentialMasking() {
	}

	/**
	 * The text with the credentials of every Redis address in it masked.
	 * @param text the text
	 * @return the masked text
	 */
	public static String mask(String text) {
		if (!text.toLowerCase(Locale.ROOT).contains("redis")) {
			return text;
		}
		Matcher scheme = SCHEME.matcher(text);
		if (!scheme.find()) {
			return text;
		}
		StringBuilder masked = new StringBuilder(text.length());
		int copied = 0;
		int start = scheme.end();
		while (start >= 0) {
			int next = scheme.find(start) ? scheme.start() : -1;
			int end = (next >= 0) ? next : text.length();
			int at = text.lastIndexOf('@', end - 1);
			if (at >= start) {
				masked.append(text, copied, start).append(MASK);
				copied = at;
			}
			start = (next >= 0) ? scheme.end() : -1;
		}
		return masked.append(text, copied, text.length()).toString();
	}

	/**
	 * One configured address with its credentials masked, whatever its scheme (a mistyped
	 * {@code http://user:secret@host} included): everything before its last {@code @}, after the
	 * scheme, is replaced.
	 * @param address the address
	 * @return the masked address
	 */
	public static String maskAddress(String address) {
		int at = address.lastIndexOf('@');
		if (at < 0) {
			return address;
		}
		int scheme = address.indexOf("://");
		int start = (scheme >= 0 && scheme < at) ? scheme + 3 : 0;
		return address.substring(0, start) + MASK + address.substring(at);
	}

}
