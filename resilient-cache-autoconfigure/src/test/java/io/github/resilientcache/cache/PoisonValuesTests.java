package io.github.resilientcache.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.region.Version;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.test.RespClient;
import io.github.resilientcache.testapp.Account;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Forged, oversized and mistyped entries written straight into a real Redis region, read through
 * {@code @Cacheable} methods: each is a miss that the method's result replaces, counted, and never a
 * region failure or an instantiated gadget.
 */
class PoisonValuesTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east");

	private final ApplicationContextRunner contextRunner = TestApplications.runner(regions, "east")
		.withPropertyValues("resilient-cache.max-value-size=2KB");

	@Test
	void forgedTimerEntriesAreRefusedEvictedAndCountedWithoutStartingAThread() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			long timersBefore = timerThreads();
			int reads = 200;
			for (int i = 0; i < reads; i++) {
				String payload = (i % 2 == 0) ? "{\"@class\":\"java.util.Timer\"}" : "[\"java.util.ArrayList\",[{\"@class\":\"java.util.Timer\"}]]";
				forge("rc:accounts::t" + i, payload.getBytes(StandardCharsets.UTF_8));
				assertThat(service.find("t" + i).id()).isEqualTo("t" + i);
			}
			assertThat(service.loads()).isEqualTo(reads);
			assertThat(timerThreads()).as("Timer threads alive").isEqualTo(timersBefore);
			assertThat(rejections(context).count(DecodeRejections.Reason.TYPE)).isEqualTo(reads);
			assertThat(context.getBean(MultiRegionCacheManager.class).getStatistics("accounts").poisoned(0)).isEqualTo(reads);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(service.find("t0")).isNotNull());
			assertThat(service.loads()).as("the method's result replaced the forged entry").isEqualTo(reads);
			assertRegionUp(context);
		});
	}

	@Test
	void rawValueLargerThanTheMaxValueSizeIsRefusedBeforeDecoding() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			forge("rc:accounts::big", ("\"" + "x".repeat(4096) + "\"").getBytes(StandardCharsets.UTF_8));
			assertThat(service.find("big").id()).isEqualTo("big");
			assertThat(rejections(context).count(DecodeRejections.Reason.SIZE)).isOne();
			assertThat(service.find("big").id()).isEqualTo("big");
			assertThat(service.loads()).isOne();
			assertRegionUp(context);
		});
	}

	@Test
	void valueOfAnotherAllowedTypeIsPoisonForAMethodThatCannotReturnIt() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			forge("rc:accounts::m1", "\"not an account\"".getBytes(StandardCharsets.UTF_8));
			Account account = service.find("m1");
			assertThat(account.id()).isEqualTo("m1");
			assertThat(rejections(context).count(DecodeRejections.Reason.RETURN_TYPE)).isOne();
			assertThat(service.find("m1")).isEqualTo(account);
			assertThat(service.loads()).as("the method's result replaced the mistyped entry").isOne();
			forge("rc:accounts::m2", "[\"java.lang.Long\",42]".getBytes(StandardCharsets.UTF_8));
			assertThat(service.findOnce("m2").id()).isEqualTo("m2");
			assertThat(service.findOnce("m2").id()).isEqualTo("m2");
			assertThat(service.loads()).isEqualTo(2);
			assertThat(rejections(context).count(DecodeRejections.Reason.RETURN_TYPE)).isEqualTo(2);
			assertRegionUp(context);
		});
	}

	private static DecodeRejections rejections(AssertableApplicationContext context) {
		return context.getBean(DecodeRejections.class);
	}

	private static void assertRegionUp(AssertableApplicationContext context) {
		Region east = context.getBean(Regions.class).get("east");
		assertThat(east.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(east.state()).isEqualTo(RegionState.UP);
	}

	private static long timerThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((thread) -> thread.getName().startsWith("Timer-")).count();
	}

	/** Writes a well-formed entry, as a writer with access to Redis could, whose payload is the given JSON. */
	private static void forge(String key, byte[] payload) {
		StoredEntry entry = StoredEntry.value(new Version(System.currentTimeMillis() << 16, "east"), payload);
		try (RespClient client = RespClient.connect("127.0.0.1", regions.get("east").port(), Duration.ofSeconds(2))) {
			client.commandBytes(bytes("SET"), bytes(key), entry.toBytes());
		}
	}

	private static byte[] bytes(@Nullable String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
