package io.github.resilientcache.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.test.RespClient;
import io.github.resilientcache.testapp.TestApplications;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cache of cardholder data with encrypted values and HMAC-hashed keys, over two real Redis
 * regions: Redis, read raw (every key, value and journal field), holds no plaintext; keys rotate;
 * a missing or wrong key is a miss with a clear log line, never a failure.
 */
@ExtendWith(OutputCaptureExtension.class)
class EncryptedCacheTests {

	private static final String PAN = "4111111111111111";

	private static final String HOLDER = "Grace Hopper";

	private static final String KEY_1 = key(1);

	private static final String KEY_2 = key(2);

	private static final String SECRET = key(9);

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private final ApplicationContextRunner contextRunner = TestApplications.runner(regions, "east")
		.withUserConfiguration(CardsConfiguration.class)
		.withPropertyValues("resilient-cache.codec.allowed-packages=io.github.resilientcache.cache",
				"resilient-cache.caches.cards.key-protection.secret=" + SECRET);

	@Test
	void redisHoldsNoPlaintextOfKeysValuesOrJournal() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.cards.encryption.keys.k1=" + KEY_1).run((context) -> {
			// Both regions serving, not still starting: east holds what this test reads, west is stopped.
			TestApplications.serving(context);
			Cards cards = context.getBean(Cards.class);
			assertThat(cards.find(PAN)).isEqualTo(new Card(PAN, HOLDER));
			assertThat(cards.find(PAN)).isEqualTo(new Card(PAN, HOLDER));
			assertThat(cards.loads()).isOne();
			cards.plain("ACC-1", HOLDER);
			await().atMost(Duration.ofSeconds(5)).until(() -> dump("west").contains("ACC-1"));
			regions.get("west").stop();
			for (int i = 0; i < 20; i++) {
				cards.update(PAN + i, HOLDER);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> dump("east").contains(":journal:"));
			regions.get("west").start();
			String east = dump("east");
			assertThat(east).as("the clear cache shows the detector works").contains("ACC-1").contains(HOLDER);
			String cardEntries = east.lines().filter((line) -> line.contains(":cards::") || line.contains(":journal:"))
				.reduce("", (a, b) -> a + b + "\n");
			assertThat(cardEntries).contains("~hmac:").doesNotContain(PAN).doesNotContain("411111").doesNotContain(HOLDER)
				.doesNotContain("Hopper").doesNotContain("Card");
			assertThat(dump("west")).doesNotContain(PAN).doesNotContain("Hopper");
		});
	}

	@Test
	void keysRotateNewWritesUseThePrimaryKeyAndOldEntriesStillRead() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.cards.encryption.keys.k1=" + KEY_1).run((context) -> {
			assertThat(context.getBean(Cards.class).find(PAN)).isEqualTo(new Card(PAN, HOLDER));
			assertThat(keyIdsIn("east")).containsExactly("k1");
		});
		this.contextRunner.withPropertyValues("resilient-cache.caches.cards.encryption.keys.k1=" + KEY_1,
				"resilient-cache.caches.cards.encryption.keys.k2=" + KEY_2).run((context) -> {
			Cards cards = context.getBean(Cards.class);
			assertThat(cards.find(PAN)).isEqualTo(new Card(PAN, HOLDER));
			assertThat(cards.loads()).as("the k1 entry was read").isZero();
			assertThat(cards.find("5500000000000004")).isEqualTo(new Card("5500000000000004", HOLDER));
			assertThat(keyIdsIn("east")).containsExactlyInAnyOrder("k1", "k2");
		});
	}

	@Test
	void anEntryUnderAKeyThisInstanceLacksIsAMissWithAClearLogLine(CapturedOutput output) {
		writeUnderK1ThenReadAMissWith("resilient-cache.caches.cards.encryption.keys.k2=" + KEY_2);
		assertThat(output).contains("written with key id 'k1', which this instance does not have (it has [k2])")
			.doesNotContain(KEY_1).doesNotContain(KEY_2).doesNotContain(SECRET);
	}

	@Test
	void anEntryUnderTheSameKeyIdButAnotherKeyIsAMissWithAClearLogLine(CapturedOutput output) {
		writeUnderK1ThenReadAMissWith("resilient-cache.caches.cards.encryption.keys.k1=" + KEY_2);
		assertThat(output).contains("with key id 'k1': authentication failed").doesNotContain(KEY_1).doesNotContain(KEY_2);
	}

	@Test
	void aValueInClearInAnEncryptedCacheIsAMiss() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.cards.encryption.keys.k1=" + KEY_1).run((context) -> {
			TestApplications.serving(context);
			Cards cards = context.getBean(Cards.class);
			cards.find(PAN);
			String redisKey = keysOf("east", "rc:cards::*").get(0);
			byte[] clear = new AllowlistJsonValueCodec(List.of("io.github.resilientcache.cache")).encode(new Card(PAN, "Forged"));
			StoredEntry forged = StoredEntry.value(new io.github.resilientcache.region.Version(System.currentTimeMillis() << 20, "east"), clear);
			try (RespClient client = client("east")) {
				client.commandBytes(bytes("SET"), bytes(redisKey), forged.toBytes());
			}
			assertThat(cards.find(PAN).holder()).isEqualTo(HOLDER);
			assertThat(context.getBean(DecodeRejections.class).count(DecodeRejections.Reason.CLEARTEXT)).isOne();
			assertRegionUp(context);
		});
	}

	@Test
	void failsAtStartWithoutShowingAKeyThatIsNotAnAesKey() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.cards.encryption.keys.k1=" + Base64.getEncoder().encodeToString(new byte[20]))
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("resilient-cache.caches.cards.encryption.keys.k1")
				.hasMessageContaining("128, 192 or 256 bits")
				.hasMessageNotContaining(Base64.getEncoder().encodeToString(new byte[20])));
		this.contextRunner.withPropertyValues("resilient-cache.caches.cards.encryption.keys.k1=" + KEY_1,
				"resilient-cache.caches.cards.encryption.primary-key=k9")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("resilient-cache.caches.cards.encryption.primary-key")
				.hasMessageNotContaining(KEY_1));
	}

	/**
	 * Writes an entry under k1, then reads it from an instance with other keys: a miss (the method
	 * runs), counted, the region up, and the entry rewritten so that the next read hits.
	 */
	private void writeUnderK1ThenReadAMissWith(String keys) {
		this.contextRunner.withPropertyValues("resilient-cache.caches.cards.encryption.keys.k1=" + KEY_1).run((context) -> {
			TestApplications.serving(context);
			context.getBean(Cards.class).find(PAN);
		});
		this.contextRunner.withPropertyValues(keys).run((context) -> {
			// East serving, not still starting: the entry under k1 is read from it, and it stays UP.
			TestApplications.serving(context);
			Cards cards = context.getBean(Cards.class);
			assertThat(cards.find(PAN)).isEqualTo(new Card(PAN, HOLDER));
			assertThat(cards.loads()).isOne();
			assertThat(context.getBean(DecodeRejections.class).count(DecodeRejections.Reason.KEY)).isOne();
			assertRegionUp(context);
			assertThat(cards.find(PAN)).isEqualTo(new Card(PAN, HOLDER));
			assertThat(cards.loads()).as("rewritten under the instance's primary key").isOne();
		});
	}

	private static void assertRegionUp(AssertableApplicationContext context) {
		Region east = context.getBean(Regions.class).get("east");
		assertThat(east.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(east.state()).isEqualTo(RegionState.UP);
	}

	/** Every key of a region with its raw content (strings and hashes), as text. */
	private static String dump(String region) {
		StringBuilder dump = new StringBuilder();
		try (RespClient client = client(region)) {
			for (String key : keysOf(region, "*")) {
				String type = String.valueOf(client.command("TYPE", key));
				Object content = switch (type) {
					case "string" -> client.commandBytes(bytes("GET"), bytes(key));
					case "hash" -> client.commandBytes(bytes("HGETALL"), bytes(key));
					default -> "(" + type + ")";
				};
				dump.append(key).append(" = ").append(text(content)).append('\n');
			}
		}
		return dump.toString();
	}

	private static String text(@Nullable Object content) {
		if (content instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.ISO_8859_1);
		}
		if (content instanceof List<?> list) {
			return String.join(" ", list.stream().map(EncryptedCacheTests::text).toList());
		}
		return String.valueOf(content);
	}

	private static List<String> keyIdsIn(String region) {
		List<String> ids = new ArrayList<>();
		try (RespClient client = client(region)) {
			for (String key : keysOf(region, "rc:cards::*")) {
				StoredEntry entry = StoredEntry.fromBytes((byte[]) client.commandBytes(bytes("GET"), bytes(key)));
				byte[] payload = entry.payload();
				assertThat(payload[0]).isEqualTo(EncryptingValueCodec.MAGIC);
				ids.add(new String(payload, 2, payload[1], StandardCharsets.US_ASCII));
			}
		}
		return ids;
	}

	@SuppressWarnings("unchecked")
	private static List<String> keysOf(String region, String pattern) {
		return ((List<Object>) regions.get(region).command("KEYS", pattern)).stream()
			.map((key) -> (key instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(key))
			.toList();
	}

	private static RespClient client(String region) {
		return RespClient.connect("127.0.0.1", regions.get(region).port(), Duration.ofSeconds(2));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String key(int seed) {
		byte[] key = new byte[32];
		new java.util.Random(seed).nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	record Card(String pan, String holder) {
	}

	@Configuration(proxyBeanMethods = false)
	static class CardsConfiguration {

		@Bean
		Cards cards() {
			return new Cards();
		}

	}

	static class Cards {

		private int loads;

		@Cacheable("cards")
		public Card find(String pan) {
			this.loads++;
			return new Card(pan, HOLDER);
		}

		@CachePut(cacheNames = "cards", key = "#pan")
		public Card update(String pan, String holder) {
			return new Card(pan, holder);
		}

		@CachePut(cacheNames = "accounts", key = "#id")
		public Card plain(String id, String holder) {
			return new Card(id, holder);
		}

		public int loads() {
			return this.loads;
		}

	}

}
