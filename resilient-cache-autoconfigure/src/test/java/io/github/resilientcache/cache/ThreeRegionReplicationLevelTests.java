package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.Account;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replication levels with three regions, where a quorum (two) is less than all: a quorum write
 * does not wait for a slow third region, an all write waits for it only within the budget, and
 * with two regions down a quorum write returns with the local region alone. Whatever a region
 * missed, it holds once it recovered.
 */
class ThreeRegionReplicationLevelTests {

	private static final Duration BUDGET = Duration.ofMillis(500);

	/** See {@link ReplicationLevelTests}: far below the slow region's round trip. */
	private static final Duration SLACK = Duration.ofMillis(500);

	private static final Duration SLOW = Duration.ofSeconds(1);

	private static final Duration RECOVERY = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west", "north");

	/**
	 * An instance whose accounts cache is at the level, with the budget. Each region's own timeout
	 * (200 ms by default) is raised to the budget, so that the budget alone bounds a wait: on a
	 * loaded machine a healthy region's first writes may take longer than 200 ms.
	 */
	private static ApplicationContextRunner runner(String level) {
		return TestApplications.runner(regions, "east")
			.withPropertyValues("resilient-cache.caches.accounts.replication=" + level, "resilient-cache.caches.accounts.timeout=" + BUDGET.toMillis() + "ms")
			.withPropertyValues(regions.names().stream().map((name) -> "resilient-cache.regions." + name + ".timeout=" + BUDGET.toMillis() + "ms")
				.toArray(String[]::new));
	}

	@Test
	void quorumReturnsOnceTwoRegionsHoldTheWriteWithoutWaitingForASlowThird() {
		runner("quorum").run((context) -> {
			AccountService service = ready(context);
			long acknowledged = statistics(context).acknowledged();
			regions.proxy("north").latency(SLOW);
			Account account = timed(context, "quorum", () -> service.setBalance("q", BigDecimal.ONE));
			assertThat(valueIn(context, "east", "q")).isEqualTo(account);
			assertThat(valueIn(context, "west", "q")).as("the second acknowledgement of the quorum").isEqualTo(account);
			assertThat(statistics(context).acknowledged()).as("a quorum is met without north").isEqualTo(acknowledged + 1);
			assertRepaired(context, "north", "q", account);
		});
	}

	@Test
	void allFallsShortOfASlowThirdWithinTheBudgetAndTheThirdIsRepaired() {
		runner("all").run((context) -> {
			AccountService service = ready(context);
			long shortfalls = statistics(context).shortfalls();
			regions.proxy("north").latency(SLOW);
			Account account = timed(context, "all", () -> service.setBalance("a", BigDecimal.TEN));
			assertThat(valueIn(context, "east", "a")).isEqualTo(account);
			assertThat(valueIn(context, "west", "a")).isEqualTo(account);
			await().atMost(BUDGET.plus(SLACK)).until(() -> statistics(context).shortfalls() == shortfalls + 1);
			assertRepaired(context, "north", "a", account);
		});
	}

	@Test
	void quorumWithTwoRegionsDownReturnsWithTheLocalRegionAloneAndBothAreRepaired() {
		runner("quorum").run((context) -> {
			AccountService service = ready(context);
			Regions all = context.getBean(Regions.class);
			long shortfalls = statistics(context).shortfalls();
			regions.get("west").stop();
			regions.get("north").stop();
			Account first = timed(context, "quorum", () -> service.setBalance("lonely", BigDecimal.ZERO));
			assertThat(valueIn(context, "east", "lonely")).isEqualTo(first);
			await().atMost(RECOVERY).until(() -> all.get("west").state() == RegionState.OPEN && all.get("north").state() == RegionState.OPEN);
			// Failed over: both are journaled at once, not waited for.
			Account second = timed(context, "quorum", () -> service.setBalance("alone", BigDecimal.TEN));
			assertThat(valueIn(context, "east", "alone")).isEqualTo(second);
			assertThat(statistics(context).shortfalls()).isEqualTo(shortfalls + 2);
			regions.get("west").start();
			regions.get("north").start();
			await().atMost(RECOVERY).until(() -> TestApplications.allUp(all));
			for (String region : List.of("west", "north")) {
				assertThat(valueIn(context, region, "lonely")).as(region).isEqualTo(first);
				assertThat(valueIn(context, region, "alone")).as(region).isEqualTo(second);
			}
		});
	}

	private static Account timed(AssertableApplicationContext context, String level, java.util.function.Supplier<Account> write) {
		long start = System.nanoTime();
		Account account = write.get();
		long held = System.nanoTime() - start;
		System.out.printf("[figure] three regions, %s write: caller held %d ms (budget %d ms)%n", level, TimeUnit.NANOSECONDS.toMillis(held),
				BUDGET.toMillis());
		assertThat(Duration.ofNanos(held)).as("caller held").isLessThan(BUDGET.plus(SLACK));
		return account;
	}

	private static void assertRepaired(AssertableApplicationContext context, String region, String id, Account account) {
		Regions all = context.getBean(Regions.class);
		ReplayJournal journal = context.getBean(ReplayJournal.class);
		await().atMost(BUDGET.plus(SLACK)).until(() -> journal.recorded(all.get(region)) > 0);
		regions.proxy(region).pass();
		await().atMost(RECOVERY).until(() -> TestApplications.allUp(all) && journal.depth(all.get(region)) == 0);
		assertThat(valueIn(context, region, id)).isEqualTo(account);
	}

	/**
	 * The service once every region is UP, after a first write that loaded the write scripts in
	 * each region, so that the writes a test measures take one round trip. Counts are taken after it.
	 */
	private static AccountService ready(AssertableApplicationContext context) {
		await().atMost(RECOVERY).until(() -> TestApplications.allUp(context.getBean(Regions.class)));
		AccountService service = context.getBean(AccountService.class);
		service.setBalance("warm", BigDecimal.ONE);
		return service;
	}

	private static CacheStatistics statistics(AssertableApplicationContext context) {
		CacheStatistics statistics = context.getBean(MultiRegionCacheManager.class).getStatistics("accounts");
		assertThat(statistics).isNotNull();
		return statistics;
	}

	private static Object valueIn(AssertableApplicationContext context, String region, String id) {
		return ReplicationLevelTests.valueIn(context, regions, region, id);
	}

}
