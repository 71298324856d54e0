package io.github.resilientcache.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.util.Assert;

/**
 * Default value codec: JSON with the class of each value recorded, and every recorded class checked
 * against an allowlist before it is instantiated, so that data in Redis cannot make the application
 * create arbitrary classes (the classic deserialization gadget attack).
 * <p>
 * Allowed: the given packages (by default the application's own packages), standard JDK value
 * types ({@code java.lang} boxes and String, {@code java.math}, {@code java.time}, {@code java.util}
 * collections, UUID, Currency) and arrays of allowed types.
 */
public final class AllowlistJsonValueCodec implements ValueCodec {

	private static final Set<String> JDK_PACKAGES = Set.of("java.util", "java.time", "java.math");

	private static final Set<String> JDK_LANG_TYPES = Set.of("java.lang.String", "java.lang.Boolean", "java.lang.Character",
			"java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
			"java.lang.Number", "java.lang.Object");

	private final ObjectWriter writer;

	private final ObjectReader reader;

	private final List<String> allowedPackages;

	/**
	 * Creates the codec.
	 * @param allowedPackages packages (and their sub-packages) whose classes may be read back
	 */
	public AllowlistJsonValueCodec(Collection<String> allowedPackages) {
		Assert.notNull(allowedPackages, "'allowedPackages' must not be null");
		this.allowedPackages = List.copyOf(allowedPackages);
		BasicPolymorphicTypeValidator.Builder validator = BasicPolymorphicTypeValidator.builder()
			.allowIfSubTypeIsArray()
			.allowIfSubType((config, type) -> isAllowed(type));
		JsonMapper mapper = JsonMapper.builder()
			.activateDefaultTyping(validator.build(), DefaultTyping.NON_FINAL_AND_RECORDS, JsonTypeInfo.As.PROPERTY)
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
		if (!type.isArray() && !isAllowed(type)) {
			throw new IllegalArgumentException(type.getName() + " is not in the codec's allowlist: add its package to "
					+ "resilient-cache.codec.allowed-packages (allowed now: the JDK value types and " + this.allowedPackages + ")");
		}
		return this.writer.writeValueAsBytes(value);
	}

	@Override
	public Object decode(byte[] bytes) {
		return this.reader.readValue(bytes);
	}

	private boolean isAllowed(Class<?> type) {
		String name = type.getName();
		if (JDK_LANG_TYPES.contains(name) || type.isEnum() && isAllowedPackage(type)) {
			return true;
		}
		String pkg = type.getPackageName();
		if (JDK_PACKAGES.contains(pkg)) {
			return true;
		}
		return isAllowedPackage(type);
	}

	private boolean isAllowedPackage(Class<?> type) {
		String name = type.getName();
		for (String allowed : this.allowedPackages) {
			if (name.startsWith(allowed + ".")) {
				return true;
			}
		}
		return false;
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
