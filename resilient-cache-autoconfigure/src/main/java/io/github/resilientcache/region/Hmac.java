package io.github.resilientcache.region;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of text under the coordination secret: what region status messages and the fleet's
 * snapshots, incident records and webhook bodies are signed with.
 */
public final class Hmac {

	private Hmac() {
	}

	/**
	 * The HMAC-SHA256 of a text, in hex.
	 * @param secret the secret's bytes
	 * @param body the text, signed as UTF-8
	 * @return the signature, 64 hex digits
	 */
	public static String sha256Hex(byte[] secret, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
