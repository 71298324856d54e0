package io.github.resilientcache.cache;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How one cache protects what it stores: its values encrypted ({@link EncryptingValueCodec}) and its
 * keys replaced by their HMAC-SHA256 under a separate secret, so that neither the key space nor
 * the values reveal cardholder data in Redis, in the replay journal or to anti-entropy, which only
 * ever see Redis keys and stored bytes.
 */
public final class CacheProtection {

	/** Values and keys in clear. */
	public static final CacheProtection NONE = new CacheProtection("", null, new DecodeRejections(), null, false);

	private static final String HMAC = "HmacSHA256";

	private final String cacheName;

	private final @Nullable CacheSecrets secrets;

	private final DecodeRejections rejections;

	private final @Nullable Mac mac;

	private final boolean refusesValues;

	private CacheProtection(String cacheName, @Nullable CacheSecrets secrets, DecodeRejections rejections, @Nullable Mac mac,
			boolean refusesValues) {
		this.cacheName = cacheName;
		this.secrets = secrets;
		this.rejections = rejections;
		this.mac = mac;
		this.refusesValues = refusesValues;
	}

	/**
	 * The protection of a cache.
	 * @param cacheName the cache name
	 * @param secrets its secrets, {@code null} for none
	 * @param rejections where refused values are counted
	 * @return the protection
	 */
	public static CacheProtection of(String cacheName, @Nullable CacheSecrets secrets, DecodeRejections rejections) {
		Assert.notNull(cacheName, "'cacheName' must not be null");
		Assert.notNull(rejections, "'rejections' must not be null");
		if (secrets == null || !secrets.encryptsValues() && secrets.keySecret() == null) {
			return NONE;
		}
		Mac mac = null;
		if (secrets.keySecret() != null) {
			try {
				mac = Mac.getInstance(HMAC);
				mac.init(secrets.keySecret());
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("Cannot hash the keys of cache '" + cacheName + "' with " + HMAC + ": "
						+ ex.getClass().getSimpleName(), ex);
			}
		}
		return new CacheProtection(cacheName, secrets, rejections, mac, false);
	}

	/**
	 * The protection of a cache whose secrets could not be had: nothing is cached (values are
	 * refused on write and are misses on read), and the few keys still written (eviction
	 * tombstones) are hashed with a random secret, so that nothing of a key reaches Redis in clear.
	 * @param cacheName the cache name
	 * @param rejections where refused values are counted
	 * @return the protection
	 */
	public static CacheProtection unavailable(String cacheName, DecodeRejections rejections) {
		byte[] random = new byte[32];
		new java.security.SecureRandom().nextBytes(random);
		CacheSecrets secrets = new CacheSecrets(java.util.Map.of(), null, new javax.crypto.spec.SecretKeySpec(random, HMAC));
		return new CacheProtection(cacheName, null, rejections, of(cacheName, secrets, rejections).mac, true);
	}

	/**
	 * The codec of the cache: the given one, encrypting when the cache's values are encrypted.
	 * @param codec the application's codec
	 * @return the cache's codec
	 */
	public ValueCodec codec(ValueCodec codec) {
		if (this.refusesValues) {
			return new ValueCodec() {

				@Override
				public byte[] encode(Object value) {
					throw new IllegalStateException("the secrets of cache '" + CacheProtection.this.cacheName + "' are unavailable");
				}

				@Override
				public Object decode(byte[] bytes) {
					throw CacheProtection.this.rejections.reject(DecodeRejections.Reason.KEY,
							"The secrets of cache '" + CacheProtection.this.cacheName + "' are unavailable: every read is a miss");
				}

			};
		}
		CacheSecrets secrets = this.secrets;
		return (secrets != null && secrets.encryptsValues()) ? new EncryptingValueCodec(codec, this.cacheName, secrets, this.rejections)
				: codec;
	}

	/**
	 * Whether the cache's keys are hashed.
	 * @return whether there is a key secret
	 */
	public boolean hashesKeys() {
		return this.mac != null;
	}

	/**
	 * The stored form of a key text: the text itself, or {@code ~hmac:} and its HMAC-SHA256 in
	 * unpadded base64url when keys are hashed.
	 * @param keyText the key text
	 * @return the stored form
	 */
	String protectKey(String keyText) {
		Mac prototype = this.mac;
		if (prototype == null) {
			return keyText;
		}
		Mac mac;
		try {
			mac = (Mac) prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException(HMAC + " of this JDK cannot be cloned", ex);
		}
		byte[] digest = mac.doFinal(keyText.getBytes(StandardCharsets.UTF_8));
		return "~hmac:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	@Override
	public String toString() {
		return "CacheProtection[" + this.cacheName + ", " + this.secrets + "]";
	}

}
