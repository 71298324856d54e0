package io.github.resilientcache.cache;

import java.util.List;
import java.util.Set;

import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * The classes a stored value may name, decided on the class name alone, before any class is
 * loaded: the JDK's value, collection, time and math types one by one (never a whole JDK package:
 * {@code java.util} also holds {@code Timer}, which starts a thread when created), the classes of
 * the allowed application packages and arrays of allowed types.
 */
final class TypeAllowlist extends PolymorphicTypeValidator.Base {

	private static final Set<String> JDK_TYPES = Set.of(
			// java.lang values (String, Boolean, Integer and Double are written without a type id)
			"java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Byte", "java.lang.Short", "java.lang.Integer",
			"java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number", "java.lang.Object",
			// java.math
			"java.math.BigDecimal", "java.math.BigInteger",
			// java.time
			"java.time.Instant", "java.time.LocalDate", "java.time.LocalTime", "java.time.LocalDateTime", "java.time.OffsetDateTime",
			"java.time.OffsetTime", "java.time.ZonedDateTime", "java.time.Duration", "java.time.Period", "java.time.Year",
			"java.time.YearMonth", "java.time.MonthDay", "java.time.DayOfWeek", "java.time.Month", "java.time.ZoneId",
			"java.time.ZoneOffset", "java.time.ZoneRegion",
			// java.util values
			"java.util.UUID", "java.util.Currency", "java.util.Locale", "java.util.Date", "java.util.Optional",
			// java.util collections
			"java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap", "java.util.LinkedHashMap",
			"java.util.TreeMap", "java.util.EnumMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
			"java.util.EnumSet", "java.util.Arrays$ArrayList", "java.util.concurrent.ConcurrentHashMap",
			"java.util.concurrent.CopyOnWriteArrayList");

	/** The JDK's immutable and wrapper collections (List.of, Collections.unmodifiableList...). */
	private static final List<String> JDK_COLLECTION_HOLDERS = List.of("java.util.ImmutableCollections$", "java.util.Collections$Unmodifiable",
			"java.util.Collections$Empty", "java.util.Collections$Singleton");

	private final List<String> packages;

	/**
	 * The allowlist of the given packages (and their sub-packages) plus the JDK types.
	 * @param packages the application's packages
	 */
	TypeAllowlist(List<String> packages) {
		this.packages = packages.stream().map((pkg) -> pkg + ".").toList();
	}

	/**
	 * Whether a class may be read back.
	 * @param className the binary name, as {@link Class#getName()} gives it
	 * @return whether it is allowed
	 */
	boolean allows(String className) {
		String name = componentName(className);
		if (name == null || JDK_TYPES.contains(name)) {
			// null: an array of primitives.
			return true;
		}
		if (JDK_COLLECTION_HOLDERS.stream().anyMatch(name::startsWith)) {
			return true;
		}
		return this.packages.stream().anyMatch(name::startsWith);
	}

	/** The element class name of an array, {@code null} for primitives, else the name itself. */
	private static String componentName(String className) {
		if (!className.startsWith("[")) {
			return className;
		}
		String element = className.substring(className.lastIndexOf('[') + 1);
		return (element.startsWith("L") && element.endsWith(";")) ? element.substring(1, element.length() - 1) : null;
	}

	@Override
	public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
		return allows(subClassName) ? Validity.ALLOWED : Validity.DENIED;
	}

	@Override
	public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
		return allows(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
	}

}
