package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AllowlistJsonValueCodecTests {

	private final AllowlistJsonValueCodec codec = new AllowlistJsonValueCodec(List.of("io.github.resilientcache.cache"));

	@Test
	void roundTripsApplicationRecordsWithJdkValueTypes() {
		Account account = new Account(UUID.randomUUID(), new BigDecimal("1234.50"), Status.BLOCKED, Instant.parse("2026-11-24T10:15:30Z"),
				List.of("a", "b"), Map.of("limit", new BigDecimal("10.00")));
		assertThat(roundTrip(account)).isEqualTo(account);
	}

	@Test
	void roundTripsJdkScalarsKeepingTheirTypes() {
		assertThat(roundTrip("text")).isEqualTo("text");
		assertThat(roundTrip(42L)).isEqualTo(42L);
		assertThat(roundTrip(42)).isEqualTo(42);
		assertThat(roundTrip(new BigDecimal("0.10"))).isEqualTo(new BigDecimal("0.10"));
		assertThat(roundTrip(LocalDate.of(2026, 11, 24))).isEqualTo(LocalDate.of(2026, 11, 24));
		assertThat(roundTrip(true)).isEqualTo(true);
	}

	@Test
	void roundTripsCollectionsOfApplicationTypes() {
		List<Object> list = new ArrayList<>(List.of(new Merchant("m1", 5), new Merchant("m2", 7)));
		assertThat(roundTrip(list)).isEqualTo(list);
		Map<String, Object> map = new HashMap<>(Map.of("m", new Merchant("m3", 1)));
		assertThat(roundTrip(map)).isEqualTo(map);
		assertThat(roundTrip(List.of(new Merchant("m4", 2)))).isEqualTo(List.of(new Merchant("m4", 2)));
	}

	@Test
	void refusesTypesOutsideTheAllowlist() {
		byte[] json = "[\"java.net.URL\",\"http://localhost\"]".getBytes(StandardCharsets.UTF_8);
		assertThatException().isThrownBy(() -> this.codec.decode(json));
		byte[] gadget = "{\"@class\":\"org.springframework.context.support.ClassPathXmlApplicationContext\",\"configLocation\":\"x\"}"
			.getBytes(StandardCharsets.UTF_8);
		assertThatException().isThrownBy(() -> this.codec.decode(gadget));
	}

	@Test
	void refusesApplicationTypesOfAnotherApplication() {
		AllowlistJsonValueCodec other = new AllowlistJsonValueCodec(List.of("com.example.other"));
		byte[] bytes = this.codec.encode(new Merchant("m1", 5));
		assertThatException().isThrownBy(() -> other.decode(bytes));
	}

	@Test
	void refusesToEncodeAValueItCouldNotReadBackNamingTheProperty() {
		assertThatException().isThrownBy(() -> this.codec.encode(new java.net.InetSocketAddress(80)))
			.withMessageContaining("resilient-cache.codec.allowed-packages");
	}

	@Test
	void encodingAnUnencodableValueFails() {
		assertThatException().isThrownBy(() -> this.codec.encode(Optional.of(new Object() {
			@SuppressWarnings("unused")
			public Object getSelf() {
				throw new IllegalStateException("boom");
			}
		})));
	}

	@Test
	void refusesJdkClassesThatAreNotValueTypesAndCountsThem() {
		DecodeRejections rejections = new DecodeRejections();
		AllowlistJsonValueCodec codec = new AllowlistJsonValueCodec(List.of("io.github.resilientcache.cache"), 1024, rejections);
		int threads = Thread.activeCount();
		assertThatIllegalArgumentException().isThrownBy(() -> codec.decode(bytes("{\"@class\":\"java.util.Timer\"}")))
			.withMessageContaining("java.util.Timer")
			.withMessageContaining("resilient-cache.codec.allowed-packages");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> codec.decode(bytes("[\"java.util.ArrayList\",[{\"@class\":\"java.util.Timer\"}]]")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> codec.decode(bytes("{\"@class\":\"io.github.resilientcache.cache.AllowlistJsonValueCodecTests$Holder\","
					+ "\"content\":{\"@class\":\"java.util.Timer\"}}")));
		assertThatIllegalArgumentException().isThrownBy(() -> codec.decode(bytes("[\"[Ljava.util.Timer;\",[]]")));
		assertThat(rejections.count(DecodeRejections.Reason.TYPE)).isEqualTo(4);
		assertThat(Thread.activeCount()).as("no Timer thread started").isLessThanOrEqualTo(threads);
	}

	@Test
	void decodesTheJdkCollectionsJacksonWrites() {
		assertThat(roundTrip(new ArrayList<>(List.of(1L, 2L)))).isEqualTo(List.of(1L, 2L));
		assertThat(roundTrip(java.util.Set.of("a"))).isEqualTo(java.util.Set.of("a"));
		assertThat(roundTrip(java.util.Collections.unmodifiableList(new ArrayList<>(List.of("a"))))).isEqualTo(List.of("a"));
		assertThat(roundTrip(new java.util.TreeMap<>(Map.of("a", 1)))).isEqualTo(Map.of("a", 1));
		assertThat(roundTrip(new Merchant[] { new Merchant("m", 1) })).isEqualTo(new Merchant[] { new Merchant("m", 1) });
		assertThat(roundTrip(new int[] { 1, 2 })).isEqualTo(new int[] { 1, 2 });
		assertThat(roundTrip(java.time.Duration.ofSeconds(3))).isEqualTo(java.time.Duration.ofSeconds(3));
		assertThat(roundTrip(java.time.ZoneId.of("Europe/Paris"))).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
		assertThat(roundTrip(java.util.Currency.getInstance("EUR"))).isEqualTo(java.util.Currency.getInstance("EUR"));
	}

	@Test
	void refusesAValueLargerThanTheMaxValueSizeBeforeParsingIt() {
		DecodeRejections rejections = new DecodeRejections();
		AllowlistJsonValueCodec codec = new AllowlistJsonValueCodec(List.of("io.github.resilientcache.cache"), 100, rejections);
		byte[] large = bytes("\"" + "x".repeat(200) + "\"");
		assertThatIllegalArgumentException().isThrownBy(() -> codec.decode(large))
			.withMessageContaining("resilient-cache.max-value-size (100 bytes)");
		assertThat(rejections.count(DecodeRejections.Reason.SIZE)).isOne();
	}

	@Test
	void refusesNestingDeeperThanTheLimit() {
		DecodeRejections rejections = new DecodeRejections();
		AllowlistJsonValueCodec codec = new AllowlistJsonValueCodec(List.of("io.github.resilientcache.cache"), 64 * 1024, rejections);
		int depth = AllowlistJsonValueCodec.MAX_NESTING_DEPTH + 1;
		byte[] deep = bytes("[\"java.util.ArrayList\",".repeat(depth) + "[]" + "]".repeat(depth));
		assertThatIllegalArgumentException().isThrownBy(() -> codec.decode(deep)).withMessageContaining("limits");
		assertThat(rejections.count(DecodeRejections.Reason.LIMITS)).isOne();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private Object roundTrip(Object value) {
		return this.codec.decode(this.codec.encode(value));
	}

	enum Status {

		ACTIVE, BLOCKED

	}

	record Account(UUID id, BigDecimal balance, Status status, Instant updated, List<String> tags, Map<String, BigDecimal> limits) {
	}

	record Merchant(String id, int category) {
	}

	record Holder(Object content) {
	}

}
