package io.github.resilientcache.region;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Format of one stored entry: a kind byte, the version and the encoded value, in one Redis string
 * so that a read is one {@code GET} and a conditional write one script call.
 * <p>
 * Layout: {@code <kind><16 hex stamp>:<region>\n<payload>}, kind {@code V} (value), {@code N}
 * (cached null) or {@code T} (tombstone of an eviction, no payload).
 * @param kind what the entry holds
 * @param version version of the write that stored it
 * @param payload encoded value, empty for {@code N} and {@code T}
 */
public record StoredEntry(Kind kind, Version version, byte[] payload) {

	private static final byte[] EMPTY = new byte[0];

	/**
	 * Creates a value entry.
	 * @param version the version
	 * @param payload the encoded value
	 * @return the entry
	 */
	public static StoredEntry value(Version version, byte[] payload) {
		return new StoredEntry(Kind.VALUE, version, payload);
	}

	/**
	 * Creates the entry of a cached {@code null}.
	 * @param version the version
	 * @return the entry
	 */
	public static StoredEntry nullValue(Version version) {
		return new StoredEntry(Kind.NULL, version, EMPTY);
	}

	/**
	 * Creates the tombstone of an eviction.
	 * @param version the version
	 * @return the entry
	 */
	public static StoredEntry tombstone(Version version) {
		return new StoredEntry(Kind.TOMBSTONE, version, EMPTY);
	}

	/**
	 * Whether the entry holds a value or a cached {@code null}, as opposed to a tombstone.
	 * @return {@code true} if a read finds something
	 */
	public boolean isPresent() {
		return this.kind != Kind.TOMBSTONE;
	}

	/**
	 * Encodes this entry into the bytes stored in Redis.
	 * @return the bytes
	 */
	public byte[] toBytes() {
		byte[] header = (this.kind.code + this.version.sortKey() + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] bytes = new byte[header.length + this.payload.length];
		System.arraycopy(header, 0, bytes, 0, header.length);
		System.arraycopy(this.payload, 0, bytes, header.length, this.payload.length);
		return bytes;
	}

	/**
	 * Decodes bytes read from Redis.
	 * @param bytes the stored bytes, {@code null} when the key does not exist
	 * @return the entry, or {@code null} when the key does not exist
	 * @throws IllegalArgumentException if the bytes were not written by this format (a foreign or
	 * corrupted key, treated like an undecodable value)
	 */
	public static @Nullable StoredEntry fromBytes(byte @Nullable [] bytes) {
		if (bytes == null) {
			return null;
		}
		int newline = -1;
		for (int i = 1; i < bytes.length && i < 1024; i++) {
			if (bytes[i] == '\n') {
				newline = i;
				break;
			}
		}
		if (bytes.length == 0 || newline < 18) {
			throw new IllegalArgumentException("Not a resilient-cache entry (no header)");
		}
		Kind kind = Kind.of(bytes[0]);
		Version version = Version.parse(new String(bytes, 1, newline - 1, StandardCharsets.UTF_8));
		byte[] payload = EMPTY;
		if (newline + 1 < bytes.length) {
			payload = new byte[bytes.length - newline - 1];
			System.arraycopy(bytes, newline + 1, payload, 0, payload.length);
		}
		return new StoredEntry(kind, version, payload);
	}

	/**
	 * The version in the header of stored bytes, read without copying the payload: for copies that
	 * move the bytes unchanged.
	 * @param bytes the stored bytes
	 * @return the version, {@code null} if the bytes are not an entry of this format or their
	 * header is not in the canonical form this format writes
	 */
	public static @Nullable Version versionOf(byte[] bytes) {
		int newline = -1;
		for (int i = 1; i < bytes.length && i < 1024; i++) {
			if (bytes[i] == '\n') {
				newline = i;
				break;
			}
		}
		if (newline < 18) {
			return null;
		}
		try {
			Kind.of(bytes[0]);
			String text = new String(bytes, 1, newline - 1, StandardCharsets.UTF_8);
			Version version = Version.parse(text);
			return version.sortKey().equals(text) ? version : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * What an entry holds.
	 */
	public enum Kind {

		/**
		 * An encoded value.
		 */
		VALUE('V'),

		/**
		 * A cached {@code null}.
		 */
		NULL('N'),

		/**
		 * The tombstone of an eviction.
		 */
		TOMBSTONE('T');

		private final char code;

		Kind(char code) {
			this.code = code;
		}

		char code() {
			return this.code;
		}

		static Kind of(byte code) {
			for (Kind kind : values()) {
				if (kind.code == code) {
					return kind;
				}
			}
			throw new IllegalArgumentException("Not a resilient-cache entry (kind '" + (char) code + "')");
		}

	}

}
