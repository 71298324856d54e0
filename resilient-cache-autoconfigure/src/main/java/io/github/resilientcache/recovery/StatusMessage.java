package io.github.resilientcache.recovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

import io.github.resilientcache.region.Hmac;
import io.github.resilientcache.region.RegionState;
import org.jspecify.annotations.Nullable;

/**
 * A region state change as published between instances:
 * {@code v1<TAB>region<TAB>from<TAB>to<TAB>instance<TAB>reason[<TAB>signature]}, the signature an
 * HMAC-SHA256 of the rest under the coordination secret when one is configured. Read back from
 * Redis, so parsed strictly: anything else, or an unsigned or wrongly signed message when a secret
 * is configured, is not a message.
 * @param region the region
 * @param from the state it left
 * @param to the state it entered
 * @param instance the instance that confirmed the change
 * @param reason why
 */
record StatusMessage(String region, RegionState from, RegionState to, String instance, String reason) {

	private static final String VERSION = "v1";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

	private static final int MAX_REASON = 1000;

	/**
	 * The text of this message.
	 * @param secret the coordination secret, {@code null} for unsigned messages
	 * @return the text to publish
	 */
	String encode(byte @Nullable [] secret) {
		String shortReason = (this.reason.length() > MAX_REASON) ? this.reason.substring(0, MAX_REASON) : this.reason;
		String body = String.join("\t", VERSION, this.region, this.from.name(), this.to.name(), this.instance,
				shortReason.replace('\t', ' ').replace('\n', ' '));
		return (secret != null) ? body + "\t" + sign(body, secret) : body;
	}

	/**
	 * Parses a message.
	 * @param text what was read
	 * @param secret the coordination secret; when set, only messages signed with it parse
	 * @return the message, {@code null} if the text is not a well-formed (and, with a secret, rightly
	 * signed) message
	 */
	static @Nullable StatusMessage parse(String text, byte @Nullable [] secret) {
		String[] parts = text.split("\t", -1);
		if ((parts.length != 6 && parts.length != 7) || !VERSION.equals(parts[0]) || !NAME.matcher(parts[1]).matches()
				|| !NAME.matcher(parts[4]).matches() || parts[5].length() > MAX_REASON) {
			return null;
		}
		if (secret != null) {
			if (parts.length != 7) {
				return null;
			}
			String body = text.substring(0, text.lastIndexOf('\t'));
			byte[] expected = sign(body, secret).getBytes(StandardCharsets.US_ASCII);
			if (!MessageDigest.isEqual(expected, parts[6].getBytes(StandardCharsets.US_ASCII))) {
				return null;
			}
		}
		RegionState from = state(parts[2]);
		RegionState to = state(parts[3]);
		return (from != null && to != null && from != to) ? new StatusMessage(parts[1], from, to, parts[4], parts[5]) : null;
	}

	private static String sign(String body, byte[] secret) {
		return Hmac.sha256Hex(secret, body);
	}


	private static @Nullable RegionState state(String name) {
		for (RegionState state : RegionState.values()) {
			if (state.name().equals(name)) {
				return state;
			}
		}
		return null;
	}

}
