package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.test.RespClient;
import io.github.resilientcache.testapp.Account;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a caller of a cache at each replication level observes with two regions, the second behind
 * a proxy that makes it slow, or stopped: when the call returns, the regions that acknowledged hold
 * the write (read raw, through a client of the test's own); the call never fails and never holds
 * the caller much past the cache's budget; a region that could not acknowledge is journaled and
 * holds the write once it recovered. With two regions a quorum is both.
 */
class ReplicationLevelTests {

	private static final Duration BUDGET = Duration.ofMillis(500);

	/**
	 * What the caller may be held past the budget: the write path's own 50 ms, and a loaded machine's
	 * scheduling. Far below the slow region's round trip, so a call that waited for it fails.
	 */
	private static final Duration SLACK = Duration.ofMillis(500);

	/** One way: a round trip to the slow region takes twice this, four times the budget. */
	private static final Duration SLOW = Duration.ofSeconds(1);

	private static final Duration RECOVERY = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	private static ApplicationContextRunner runner(String level) {
		return TestApplications.runner(regions, "east")
			.withPropertyValues("resilient-cache.caches.accounts.replication=" + level, "resilient-cache.caches.accounts.timeout=" + BUDGET.toMillis() + "ms");
	}

	@ParameterizedTest
	@ValueSource(strings = { "quorum", "all", "sync" })
	void everyRegionHoldsTheWriteWhenTheCallReturns(String level) {
		runner(level).run((context) -> {
			AccountService service = ready(context);
			// A first write loads the scripts in each region: the measured ones take one round trip.
			service.setBalance("warm", BigDecimal.ONE);
			long acknowledged = statistics(context).acknowledged();
			for (int i = 0; i < 10; i++) {
				String id = level + "-" + i;
				Account account = service.setBalance(id, BigDecimal.valueOf(i));
				assertThat(valueIn(context, "east", id)).isEqualTo(account);
				assertThat(valueIn(context, "west", id)).as("west holds " + id + " when the call returns").isEqualTo(account);
				assertThat(entry("west", id).version()).isEqualTo(entry("east", id).version());
			}
			service.blockCard(level + "-0");
			assertThat(entry("west", level + "-0").kind()).as("the eviction too").isEqualTo(StoredEntry.Kind.TOMBSTONE);
			CacheStatistics statistics = statistics(context);
			assertThat(statistics.acknowledged()).isEqualTo(acknowledged + 11);
			assertThat(statistics.shortfalls()).isZero();
		});
	}

	@Test
	void allWaitsForASlowRegionThatAnswersWithinTheBudget() {
		// Each region's wait is bounded by its own timeout too (its client gives up then): west's is
		// raised above a round trip of 100 ms, itself far slower than the local region.
		runner("all").withPropertyValues("resilient-cache.regions.west.timeout=400ms").run((context) -> {
			AccountService service = ready(context);
			// A first write loads the scripts, so that the measured one takes one round trip.
			service.setBalance("warm", BigDecimal.ONE);
			long acknowledged = statistics(context).acknowledged();
			regions.proxy("west").latency(Duration.ofMillis(50));
			Account account = service.setBalance("patient", BigDecimal.TEN);
			assertThat(valueIn(context, "west", "patient")).isEqualTo(account);
			assertThat(statistics(context).acknowledged()).isEqualTo(acknowledged + 1);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "async", "quorum", "all" })
	void aRegionTooSlowForTheBudgetIsJournaledAndHoldsTheWriteOnceItRecovered(String level) {
		runner(level).run((context) -> {
			AccountService service = ready(context);
			Regions all = context.getBean(Regions.class);
			ReplayJournal journal = context.getBean(ReplayJournal.class);
			long journaledBefore = journal.recorded(all.get("west"));
			regions.proxy("west").latency(SLOW);
			long start = System.nanoTime();
			Account account = service.setBalance("slow-" + level, BigDecimal.ONE);
			long heldNanos = System.nanoTime() - start;
			System.out.printf("[figure] %s write with west %d ms away (one way), budget %d ms: caller held %d ms%n", level, SLOW.toMillis(),
					BUDGET.toMillis(), TimeUnit.NANOSECONDS.toMillis(heldNanos));
			assertThat(Duration.ofNanos(heldNanos)).as("caller held").isLessThan(BUDGET.plus(SLACK));
			assertThat(valueIn(context, "east", "slow-" + level)).isEqualTo(account);
			await().atMost(BUDGET.plus(SLACK)).until(() -> journal.recorded(all.get("west")) > journaledBefore);
			if (!level.equals("async")) {
				await().atMost(BUDGET.plus(SLACK)).until(() -> statistics(context).shortfalls() == 1);
				assertThat(statistics(context).acknowledged()).isZero();
			}
			regions.proxy("west").pass();
			await().atMost(RECOVERY).until(() -> TestApplications.allUp(all) && journal.depth(all.get("west")) == 0);
			assertThat(valueIn(context, "west", "slow-" + level)).isEqualTo(account);
			assertThat(service.find("slow-" + level)).isEqualTo(account);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "quorum", "all" })
	void aRegionDownIsJournaledTheCallsSucceedAndItHoldsTheWritesOnceItRecovered(String level) {
		runner(level).run((context) -> {
			AccountService service = ready(context);
			Regions all = context.getBean(Regions.class);
			regions.get("west").stop();
			int writes = 12;
			long slowest = 0;
			for (int i = 0; i < writes; i++) {
				long start = System.nanoTime();
				service.setBalance("down-" + i, BigDecimal.valueOf(i));
				slowest = Math.max(slowest, System.nanoTime() - start);
			}
			System.out.printf("[figure] %s writes with west stopped: slowest call %d ms, west %s%n", level,
					TimeUnit.NANOSECONDS.toMillis(slowest), all.get("west").state());
			assertThat(Duration.ofNanos(slowest)).as("slowest caller held").isLessThan(BUDGET.plus(SLACK));
			assertThat(statistics(context).shortfalls()).isEqualTo(writes);
			await().atMost(RECOVERY).until(() -> all.get("west").state() == RegionState.OPEN);
			Account afterFailover = service.setBalance("down-0", BigDecimal.valueOf(100));
			assertThat(valueIn(context, "east", "down-0")).isEqualTo(afterFailover);
			regions.get("west").start();
			await().atMost(RECOVERY).until(() -> TestApplications.allUp(all));
			for (int i = 0; i < writes; i++) {
				assertThat(valueIn(context, "west", "down-" + i)).as("west repaired").isEqualTo(service.current("down-" + i));
			}
		});
	}

	private static AccountService ready(AssertableApplicationContext context) {
		await().atMost(RECOVERY).until(() -> TestApplications.allUp(context.getBean(Regions.class)));
		return context.getBean(AccountService.class);
	}

	private static CacheStatistics statistics(AssertableApplicationContext context) {
		CacheStatistics statistics = context.getBean(MultiRegionCacheManager.class).getStatistics("accounts");
		assertThat(statistics).isNotNull();
		return statistics;
	}

	/** The entry a region's server holds, read past the proxy. */
	static StoredEntry entry(RedisRegions regions, String region, String id) {
		try (RespClient client = RespClient.connect("127.0.0.1", regions.get(region).port(), Duration.ofSeconds(2))) {
			byte[] raw = (byte[]) client.commandBytes(bytes("GET"), bytes("rc:accounts::" + id));
			StoredEntry entry = StoredEntry.fromBytes(raw);
			assertThat(entry).as(id + " in " + region).isNotNull();
			return entry;
		}
	}

	static @Nullable Object valueIn(AssertableApplicationContext context, RedisRegions regions, String region, String id) {
		StoredEntry entry = entry(regions, region, id);
		assertThat(entry.kind()).as(id + " in " + region).isEqualTo(StoredEntry.Kind.VALUE);
		return context.getBean(ValueCodec.class).decode(entry.payload());
	}

	private static StoredEntry entry(String region, String id) {
		return entry(regions, region, id);
	}

	private static @Nullable Object valueIn(AssertableApplicationContext context, String region, String id) {
		return valueIn(context, regions, region, id);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
