package io.github.resilientcache.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts what another codec encodes with AES-GCM (the JDK's), for one cache. Each entry starts
 * with a header naming the key it was written with, so that keys rotate: new writes use the
 * primary key, entries written with any other known key still read until they expire. The cache
 * name is authenticated with each value, so that an entry copied from another cache is refused.
 * <pre>
 * 0xE1 | key id length (1 byte) | key id (ASCII) | IV (12 bytes) | ciphertext and tag (16 bytes)
 * </pre>
 * A value in clear, under an unknown key or failing authentication is refused (counted) and so is
 * a miss for the cache, never a region failure; messages name key ids, never keys.
 */
final class EncryptingValueCodec implements ValueCodec {

	static final byte MAGIC = (byte) 0xE1;

	private static final int IV_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final ValueCodec codec;

	private final String cacheName;

	private final Map<String, SecretKey> keys;

	private final String primaryKeyId;

	private final byte[] primaryHeader;

	private final byte[] associatedData;

	private final DecodeRejections rejections;

	EncryptingValueCodec(ValueCodec codec, String cacheName, CacheSecrets secrets, DecodeRejections rejections) {
		this.codec = codec;
		this.cacheName = cacheName;
		this.keys = secrets.valueKeys();
		this.primaryKeyId = secrets.primaryKeyId();
		byte[] id = this.primaryKeyId.getBytes(StandardCharsets.US_ASCII);
		this.primaryHeader = ByteBuffer.allocate(2 + id.length).put(MAGIC).put((byte) id.length).put(id).array();
		this.associatedData = ("resilient-cache:" + cacheName).getBytes(StandardCharsets.UTF_8);
		this.rejections = rejections;
	}

	@Override
	public byte[] encode(Object value) {
		byte[] plain = this.codec.encode(value);
		byte[] iv = new byte[IV_LENGTH];
		RANDOM.nextBytes(iv);
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, this.keys.get(this.primaryKeyId), iv);
			ByteBuffer out = ByteBuffer.allocate(this.primaryHeader.length + IV_LENGTH + cipher.getOutputSize(plain.length));
			out.put(this.primaryHeader).put(iv);
			cipher.doFinal(ByteBuffer.wrap(plain), out);
			return out.array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot encrypt a value of cache '" + this.cacheName + "' with key '" + this.primaryKeyId + "': "
					+ ex.getClass().getSimpleName(), ex);
		}
	}

	@Override
	public Object decode(byte[] bytes) {
		if (bytes.length < 2 || bytes[0] != MAGIC) {
			throw this.rejections.reject(DecodeRejections.Reason.CLEARTEXT, "Refusing a value in clear in cache '" + this.cacheName
					+ "', whose values are encrypted: written before encryption was turned on, or forged. It is a miss and gets rewritten encrypted");
		}
		int idLength = bytes[1] & 0xff;
		if (bytes.length < 2 + idLength + IV_LENGTH + TAG_BITS / 8) {
			throw this.rejections.reject(DecodeRejections.Reason.KEY, "Refusing a truncated encrypted value in cache '" + this.cacheName + "'");
		}
		String keyId = new String(bytes, 2, idLength, StandardCharsets.US_ASCII);
		SecretKey key = this.keys.get(keyId);
		if (key == null) {
			throw this.rejections.reject(DecodeRejections.Reason.KEY, "Cannot decrypt a value of cache '" + this.cacheName
					+ "': it was written with key id '" + printable(keyId) + "', which this instance does not have (it has " + this.keys.keySet()
					+ "). Add that key to the cache's keys to read such entries (resilient-cache.caches." + this.cacheName
					+ ".encryption.keys or your CacheKeyring); until then each such entry is a miss, evicted and reloaded");
		}
		int offset = 2 + idLength;
		try {
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOfRange(bytes, offset, offset + IV_LENGTH));
			byte[] plain = cipher.doFinal(bytes, offset + IV_LENGTH, bytes.length - offset - IV_LENGTH);
			return this.codec.decode(plain);
		}
		catch (AEADBadTagException ex) {
			throw this.rejections.reject(DecodeRejections.Reason.KEY, "Cannot decrypt a value of cache '" + this.cacheName + "' with key id '"
					+ keyId + "': authentication failed (a different key under the same id, or a tampered or copied entry)");
		}
		catch (GeneralSecurityException ex) {
			throw this.rejections.reject(DecodeRejections.Reason.KEY, "Cannot decrypt a value of cache '" + this.cacheName + "' with key id '"
					+ keyId + "': " + ex.getClass().getSimpleName());
		}
	}

	private Cipher cipher(int mode, SecretKey key, byte[] iv) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
		cipher.updateAAD(this.associatedData);
		return cipher;
	}

	private static String printable(String text) {
		return text.replaceAll("[^\\x21-\\x7e]", "?");
	}

}
