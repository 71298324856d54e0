package io.github.resilientcache.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.github.resilientcache.region.Hmac;
import org.jspecify.annotations.Nullable;

/**
 * Signs and checks what the fleet writes to Redis (snapshots, incident records, webhook bodies)
 * with HMAC-SHA256 under the coordination secret, as region status messages are: when a secret is
 * set, only text signed with it is trusted.
 */
final class Signer {

	private static final char SEPARATOR = '|';

	private final byte @Nullable [] secret;

	Signer(@Nullable String secret) {
		this.secret = (secret != null && !secret.isEmpty()) ? secret.getBytes(StandardCharsets.UTF_8) : null;
	}

	boolean enabled() {
		return this.secret != null;
	}

	/**
	 * The body, followed by {@code |<signature>} when a secret is set.
	 */
	String sign(String body) {
		return (this.secret != null) ? body + SEPARATOR + hmac(body, this.secret) : body;
	}

	/**
	 * The body of signed text, {@code null} when a secret is set and the text is not rightly signed.
	 */
	@Nullable String verify(String text) {
		if (this.secret == null) {
			return text;
		}
		int last = text.lastIndexOf(SEPARATOR);
		if (last < 0) {
			return null;
		}
		String body = text.substring(0, last);
		byte[] expected = hmac(body, this.secret).getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected, text.substring(last + 1).getBytes(StandardCharsets.US_ASCII)) ? body : null;
	}

	/**
	 * The hex HMAC of arbitrary bytes (a webhook body), {@code null} without a secret.
	 */
	@Nullable String hmacOf(String body) {
		return (this.secret != null) ? hmac(body, this.secret) : null;
	}

	private static String hmac(String body, byte[] secret) {
		return Hmac.sha256Hex(secret, body);
	}


}
