package io.github.resilientcache.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.exc.InvalidTypeIdException;

import org.springframework.util.Assert;

/**
 * Default value codec: JSON with the class of each value recorded, and every recorded class checked
 * against an allowlist before it is loaded, so that data in Redis cannot make the application
 * create arbitrary classes (the classic deserialization gadget attack).
 * <p>
 * Allowed: the given packages (by default the application's own packages), the JDK's value,
 * collection, time and math types class by class (see {@link TypeAllowlist}) and arrays of allowed
 * types. A stored value is refused before it is parsed when it is larger than the maximum value
 * size, and the parser's limits (string length, nesting depth) are bounded by it too, so that a
 * forged entry costs no more memory than a legitimate one. Refusals are counted by reason.
 */
public final class AllowlistJsonValueCodec implements ValueCodec {

	/** Deepest nesting of objects and arrays read back: cached values are shallow records. */
	static final int MAX_NESTING_DEPTH = 64;

	private static final long DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

	private final ObjectWriter writer;

	private final ObjectReader reader;

	private final List<String> allowedPackages;

	private final TypeAllowlist allowlist;

	private final long maxValueSize;

	private final DecodeRejections rejections;

	/**
	 * Creates the codec with a maximum value size of 1 MB.
	 * @param allowedPackages packages (and their sub-packages) whose classes may be read back
	 */
	public AllowlistJsonValueCodec(Collection<String> allowedPackages) {
		this(allowedPackages, DEFAULT_MAX_VALUE_SIZE, new DecodeRejections());
	}

	/**
	 * Creates the codec.
	 * @param allowedPackages packages (and their sub-packages) whose classes may be read back
	 * @param maxValueSize largest encoded value read back, in bytes
	 * @param rejections counts of refused values
	 */
	public AllowlistJsonValueCodec(Collection<String> allowedPackages, long maxValueSize, DecodeRejections rejections) {
		Assert.notNull(allowedPackages, "'allowedPackages' must not be null");
		Assert.isTrue(maxValueSize > 0, "'maxValueSize' must be positive");
		Assert.notNull(rejections, "'rejections' must not be null");
		this.allowedPackages = List.copyOf(allowedPackages);
		this.allowlist = new TypeAllowlist(this.allowedPackages);
		this.maxValueSize = maxValueSize;
		this.rejections = rejections;
		StreamReadConstraints limits = StreamReadConstraints.builder()
			.maxDocumentLength(maxValueSize)
			.maxStringLength((int) Math.min(maxValueSize, Integer.MAX_VALUE))
			.maxNestingDepth(MAX_NESTING_DEPTH)
			.build();
		JsonMapper mapper = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(limits).build())
			.activateDefaultTyping(this.allowlist, DefaultTyping.NON_FINAL_AND_RECORDS, JsonTypeInfo.As.PROPERTY)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.build();
		this.writer = mapper.writerFor(Object.class);
		this.reader = mapper.readerFor(Object.class);
	}

	/**
	 * The packages allowed besides the JDK types.
	 * @return the packages
	 */
	public List<String> allowedPackages() {
		return this.allowedPackages;
	}

	/**
	 * Encodes a value whose class could be read back: a value of another class is refused here,
	 * once, with the fix, rather than written and then evicted as undecodable at every read.
	 */
	@Override
	public byte[] encode(Object value) {
		Class<?> type = value.getClass();
		if (!this.allowlist.allows(type.getName())) {
			throw new IllegalArgumentException(type.getName() + " is not in the codec's allowlist: add its package to "
					+ "resilient-cache.codec.allowed-packages (allowed now: the JDK value types and " + this.allowedPackages + ")");
		}
		return this.writer.writeValueAsBytes(value);
	}

	/**
	 * Decodes a value, refusing (and counting) one that is too large, exceeds the parser's limits or
	 * names a class outside the allowlist.
	 */
	@Override
	public Object decode(byte[] bytes) {
		if (bytes.length > this.maxValueSize) {
			throw this.rejections.reject(DecodeRejections.Reason.SIZE, "Refusing to decode a value of " + bytes.length
					+ " bytes: larger than resilient-cache.max-value-size (" + this.maxValueSize + " bytes)");
		}
		try {
			return this.reader.readValue(bytes);
		}
		catch (InvalidTypeIdException ex) {
			throw this.rejections.reject(DecodeRejections.Reason.TYPE, "Refusing to decode a value naming a class outside the allowlist ("
					+ printable(ex.getTypeId()) + "): if it is yours, add its package to resilient-cache.codec.allowed-packages");
		}
		catch (StreamConstraintsException ex) {
			throw this.rejections.reject(DecodeRejections.Reason.LIMITS, "Refusing to decode a value beyond the parser's limits: "
					+ ex.getOriginalMessage());
		}
	}

	/** A class name read from stored data, safe to log: bounded, no control characters. */
	private static String printable(@Nullable String typeId) {
		if (typeId == null) {
			return "no type id";
		}
		String bounded = (typeId.length() > 120) ? typeId.substring(0, 120) + "..." : typeId;
		return bounded.replaceAll("[^\\x20-\\x7e]", "?");
	}

	/**
	 * Counts of refused values.
	 * @return the counts
	 */
	public DecodeRejections rejections() {
		return this.rejections;
	}

	/**
	 * The allowlist of an application: its auto-configuration packages plus extra ones.
	 * @param applicationPackages the application's packages
	 * @param extra packages from configuration
	 * @return the combined list
	 */
	public static List<String> packages(Collection<String> applicationPackages, Collection<String> extra) {
		List<String> all = new ArrayList<>(applicationPackages);
		extra.stream().filter((pkg) -> !all.contains(pkg)).forEach(all::add);
		return all;
	}

}
