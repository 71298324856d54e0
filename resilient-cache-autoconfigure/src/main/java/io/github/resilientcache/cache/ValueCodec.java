package io.github.resilientcache.cache;

/**
 * Turns cached values into bytes and back. Define a bean of this type to replace the default
 * {@link AllowlistJsonValueCodec}; it must never instantiate classes chosen by stored data alone.
 */
public interface ValueCodec {

	/**
	 * Encodes a value.
	 * @param value the value, never {@code null}
	 * @return the bytes
	 * @throws RuntimeException if the value cannot be encoded: it is then not cached
	 */
	byte[] encode(Object value);

	/**
	 * Decodes bytes written by {@link #encode}.
	 * @param bytes the bytes
	 * @return the value
	 * @throws RuntimeException if the bytes cannot be decoded: the entry is then evicted and the
	 * read is a miss
	 */
	Object decode(byte[] bytes);

}
