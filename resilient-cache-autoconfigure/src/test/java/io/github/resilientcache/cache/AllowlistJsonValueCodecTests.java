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

}
