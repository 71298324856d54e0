package io.github.resilientcache.cache;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

/**
 * The text of a cache key, one-to-one with the key: simple keys (strings, numbers, UUIDs, enums,
 * dates) stay readable as they are; composite keys (Spring's {@code SimpleKey} of several
 * parameters, arrays, collections, records) list their parts length-prefixed, so that
 * {@code f("a, b", "c")} and {@code f("a", "b, c")} can never share a text. {@code ~} starts every
 * structured form, and a simple key starting with {@code ~} is escaped by doubling it. A text longer
 * than {@link #MAX_LENGTH} bytes is replaced by its SHA-256 digest.
 * <pre>
 * "42", 42L             42
 * "~x"                  ~~x
 * f("a, b", "c")        ~[4:a, b,1:c]
 * f(null, 7)            ~[5:~null,1:7]
 * new Point(1, 2)       ~r:Point[1:1,1:2]
 * List.of("a", "b")     ~c[1:a,1:b]
 * long keys             ~sha256:&lt;64 hex digits&gt;
 * </pre>
 */
final class KeyText {

	/** Longest key text kept readable, in UTF-8 bytes: longer ones are hashed. */
	static final int MAX_LENGTH = 256;

	private static final char MARK = '~';

	private static final Field SIMPLE_KEY_PARAMS = simpleKeyParams();

	private KeyText() {
	}

	/**
	 * The text of a key.
	 * @param key the key
	 * @return its text, at most {@link #MAX_LENGTH} bytes
	 */
	static String of(Object key) {
		String text = text(key);
		if (text.length() <= MAX_LENGTH / 3) {
			// At most 3 UTF-8 bytes per UTF-16 char: short enough without encoding it (a near hit's key).
			return text;
		}
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return (bytes.length > MAX_LENGTH) ? MARK + "sha256:" + HexFormat.of().formatHex(sha256(bytes)) : text;
	}

	private static String text(@Nullable Object key) {
		if (key == null) {
			return MARK + "null";
		}
		if (key instanceof String || key instanceof Number || key instanceof Boolean || key instanceof Character || key instanceof UUID
				|| key instanceof Enum<?> || key instanceof java.time.temporal.TemporalAccessor || key instanceof Date) {
			return escape(key.toString());
		}
		if (key instanceof SimpleKey simpleKey) {
			return MARK + parts((Object[]) ReflectionUtils.getField(SIMPLE_KEY_PARAMS, simpleKey));
		}
		if (key.getClass().isArray()) {
			Object[] elements = new Object[Array.getLength(key)];
			for (int i = 0; i < elements.length; i++) {
				elements[i] = Array.get(key, i);
			}
			return MARK + "a" + parts(elements);
		}
		if (key instanceof Collection<?> collection) {
			return MARK + "c" + parts(collection.toArray());
		}
		if (key instanceof Record) {
			Object[] values = components(key);
			if (values != null) {
				return MARK + "r:" + key.getClass().getSimpleName() + parts(values);
			}
		}
		Assert.isTrue(overridesToString(key.getClass()), () -> "Cache key of type " + key.getClass().getName()
				+ " has no stable text: make it a record, override toString() or use a key expression such as key = \"#id\"");
		return escape(key.toString());
	}

	private static String parts(@Nullable Object[] parts) {
		StringBuilder text = new StringBuilder("[");
		for (int i = 0; i < parts.length; i++) {
			String part = text(parts[i]);
			text.append((i > 0) ? "," : "").append(part.length()).append(':').append(part);
		}
		return text.append(']').toString();
	}

	private static String escape(String text) {
		return (!text.isEmpty() && text.charAt(0) == MARK) ? MARK + text : text;
	}

	/**
	 * The component values of a record key, {@code null} when they cannot be read (a record of a
	 * module that does not open its package): its {@code toString()} is used then.
	 */
	private static Object @Nullable [] components(Object record) {
		RecordComponent[] components = record.getClass().getRecordComponents();
		Object[] values = new Object[components.length];
		try {
			for (int i = 0; i < components.length; i++) {
				java.lang.reflect.Method accessor = components[i].getAccessor();
				ReflectionUtils.makeAccessible(accessor);
				values[i] = ReflectionUtils.invokeMethod(accessor, record);
			}
			return values;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static boolean overridesToString(Class<?> type) {
		return ReflectionUtils.findMethod(type, "toString").getDeclaringClass() != Object.class;
	}

	static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JDK", ex);
		}
	}

	private static Field simpleKeyParams() {
		Field field = ReflectionUtils.findField(SimpleKey.class, "params");
		Assert.state(field != null, "SimpleKey has no 'params' field: this Spring version is not supported");
		ReflectionUtils.makeAccessible(field);
		return field;
	}

}
