package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

import org.springframework.beans.BeanUtils;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueRetrievalException;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.support.NullValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Spring's {@link Cache} SPI over two real Redis regions, through the {@link CacheManager} and
 * through {@code @Cacheable} services, with the starter's defaults unless a test says otherwise.
 */
class MultiRegionCacheTests {

	private static final Duration REPLICATION = Duration.ofSeconds(5);

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private final ApplicationContextRunner contextRunner = TestApplications.runner(regions, "east")
		.withUserConfiguration(DocumentsConfiguration.class);

	// Round trips

	@Test
	void putAndGetRoundTripARecord() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			Account account = new Account("a1", new BigDecimal("12.30"), true, 4);
			cache.put("a1", account);
			assertThat(cache.get("a1")).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo(account);
			await().atMost(REPLICATION).untilAsserted(() -> assertThat(valueIn(context, "west", "rc:accounts::a1")).isEqualTo(account));
		});
	}

	@Test
	void putAndGetRoundTripCollections() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			List<Account> list = List.of(new Account("a1", BigDecimal.ONE, false, 1), new Account("a2", BigDecimal.TEN, true, 2));
			Map<String, BigDecimal> map = new LinkedHashMap<>(Map.of("limit", new BigDecimal("500.00")));
			Set<String> set = Set.of("x", "y");
			cache.put("list", list);
			cache.put("map", map);
			cache.put("set", set);
			assertThat(cache.get("list").get()).isEqualTo(list);
			assertThat(cache.get("map").get()).isEqualTo(map);
			assertThat(cache.get("set").get()).isEqualTo(set);
		});
	}

	@Test
	void putAndGetKeepTheScaleOfABigDecimal() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			cache.put("amount", new BigDecimal("100.10"));
			cache.put("tiny", new BigDecimal("0.000000001"));
			assertThat(cache.get("amount").get()).isEqualTo(new BigDecimal("100.10"));
			assertThat(cache.get("tiny").get()).isEqualTo(new BigDecimal("0.000000001"));
		});
	}

	@Test
	void getWithATypeReturnsTheValueOfThatType() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			Account account = new Account("a1", BigDecimal.ONE, false, 1);
			cache.put("a1", account);
			assertThat(cache.get("a1", Account.class)).isEqualTo(account);
			assertThat(cache.get("missing", Account.class)).isNull();
			assertThatIllegalStateException().isThrownBy(() -> cache.get("a1", String.class));
		});
	}

	@Test
	void cacheableMethodRunsOnceThenIsServedByTheCache() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			assertThat(service.find("a1").id()).isEqualTo("a1");
			assertThat(service.find("a1").balance()).isEqualByComparingTo("100.00");
			assertThat(service.loads()).isOne();
			await().atMost(REPLICATION).until(() -> exists("west", "rc:accounts::a1"));
		});
	}

	// Null values

	@Test
	void nullValueIsCachedWhenAllowed() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			assertThat(service.findNothing("n1")).isNull();
			assertThat(service.findNothing("n1")).isNull();
			assertThat(service.loads()).isOne();
			assertThat(entry("east", "rc:nothing::n1").kind()).isEqualTo(StoredEntry.Kind.NULL);
			Cache.ValueWrapper cached = cache(context, "nothing").get("n1");
			assertThat(cached).isNotNull();
			assertThat(cached.get()).isNull();
		});
	}

	@Test
	void cacheableMethodReturningNullFailsAsWithEverySpringCacheWhenNullsAreNotAllowed() {
		this.contextRunner.withPropertyValues("resilient-cache.allow-null-values=false").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			assertThatIllegalArgumentException().isThrownBy(() -> service.findNothing("n1"))
				.withMessageContaining("Cache 'nothing' is configured to not allow null values")
				.withMessageContaining("unless = \"#result == null\"");
			assertThat(cache(context, "nothing").get("n1")).isNull();
		});
	}

	@Test
	void putOfNullIsRefusedAndKeepsThePreviousValueWhenNullsAreNotAllowed() {
		this.contextRunner.withPropertyValues("resilient-cache.allow-null-values=false").run((context) -> {
			Cache cache = cache(context, "accounts");
			cache.put("a1", "previous");
			assertThatIllegalArgumentException().isThrownBy(() -> cache.put("a1", null))
				.withMessageContaining("resilient-cache.allow-null-values=true");
			assertThat(cache.get("a1")).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo("previous");
		});
	}

	@Test
	void putOfACopyOfNullValueStoresANull() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			cache.put("a1", BeanUtils.instantiateClass(NullValue.class));
			assertThat(entry("east", "rc:accounts::a1").kind()).isEqualTo(StoredEntry.Kind.NULL);
			assertThat(cache.get("a1")).isNotNull().extracting(Cache.ValueWrapper::get).isNull();
		});
	}

	// putIfAbsent and evictIfPresent

	@Test
	void putIfAbsentKeepsTheExistingValue() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			cache.put("a1", "first");
			Cache.ValueWrapper existing = cache.putIfAbsent("a1", "second");
			assertThat(existing).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo("first");
			assertThat(cache.get("a1").get()).isEqualTo("first");
			await().atMost(REPLICATION).untilAsserted(() -> assertThat(valueIn(context, "west", "rc:accounts::a1")).isEqualTo("first"));
		});
	}

	@Test
	void putIfAbsentStoresInBothRegionsWhenAbsent() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			assertThat(cache.putIfAbsent("a1", "only")).isNull();
			assertThat(cache.get("a1").get()).isEqualTo("only");
			await().atMost(REPLICATION).untilAsserted(() -> assertThat(valueIn(context, "west", "rc:accounts::a1")).isEqualTo("only"));
		});
	}

	@Test
	void putIfAbsentStoresAfterAnEviction() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			cache.put("a1", "evicted");
			cache.evict("a1");
			assertThat(cache.putIfAbsent("a1", "after")).isNull();
			assertThat(cache.get("a1").get()).isEqualTo("after");
		});
	}

	@Test
	void putIfAbsentReturnsAnExistingCachedNull() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			cache.put("a1", null);
			Cache.ValueWrapper existing = cache.putIfAbsent("a1", "value");
			assertThat(existing).isNotNull();
			assertThat(existing.get()).isNull();
			assertThat(cache.get("a1").get()).isNull();
		});
	}

	@Test
	void putIfAbsentOfAValueThatCannotBeCachedKeepsTheExistingValue() {
		this.contextRunner.withPropertyValues("resilient-cache.max-value-size=1KB").run((context) -> {
			Cache cache = cache(context, "accounts");
			cache.put("a1", "existing");
			Cache.ValueWrapper existing = cache.putIfAbsent("a1", "x".repeat(4096));
			assertThat(existing).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo("existing");
			assertThat(cache.get("a1").get()).isEqualTo("existing");
		});
	}

	@Test
	void evictIfPresentReportsWhetherTheKeyWasPresent() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			cache.put("a1", "value");
			assertThat(cache.evictIfPresent("a1")).isTrue();
			assertThat(cache.get("a1")).isNull();
			assertThat(cache.evictIfPresent("a1")).isFalse();
			assertThat(cache.evictIfPresent("never")).isFalse();
			cache.put("n1", null);
			assertThat(cache.evictIfPresent("n1")).as("a cached null is present").isTrue();
		});
	}

	@Test
	void evictLeavesATombstoneInBothRegions() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			service.find("a1");
			service.blockCard("a1");
			assertThat(kindIn("east", "rc:accounts::a1")).isEqualTo(StoredEntry.Kind.TOMBSTONE);
			await().atMost(REPLICATION).until(() -> kindIn("west", "rc:accounts::a1") == StoredEntry.Kind.TOMBSTONE);
			assertThat(service.find("a1").cardBlocked()).isTrue();
			assertThat(service.loads()).isEqualTo(2);
		});
	}

	// clear and invalidate

	@Test
	void clearEmptiesThisCacheInBothRegionsAndLeavesOtherCachesAlone() {
		this.contextRunner.run((context) -> {
			fillAccountsAndNeighbours(context);
			cache(context, "accounts").clear();
			assertThat(keys("east", "rc:accounts::*")).isEmpty();
			await().atMost(REPLICATION).until(() -> keys("west", "rc:accounts::*").isEmpty());
			assertNeighboursSurvive(context);
		});
	}

	@Test
	void invalidateEmptiesThisCacheInBothRegionsAndLeavesOtherCachesAlone() {
		this.contextRunner.run((context) -> {
			fillAccountsAndNeighbours(context);
			assertThat(cache(context, "accounts").invalidate()).isTrue();
			assertThat(keys("east", "rc:accounts::*")).isEmpty();
			await().atMost(REPLICATION).until(() -> keys("west", "rc:accounts::*").isEmpty());
			assertNeighboursSurvive(context);
			assertThat(cache(context, "accounts").invalidate()).as("nothing left to invalidate").isFalse();
		});
	}

	private void fillAccountsAndNeighbours(AssertableApplicationContext context) {
		for (int i = 0; i < 5; i++) {
			cache(context, "accounts").put("k" + i, "v" + i);
			cache(context, "accounts2").put("k" + i, "v" + i);
			cache(context, "account").put("k" + i, "v" + i);
		}
		await().atMost(REPLICATION).until(() -> entries("west") == 15);
	}

	private void assertNeighboursSurvive(AssertableApplicationContext context) {
		for (String region : List.of("east", "west")) {
			assertThat(keys(region, "rc:accounts2::*")).as(region).hasSize(5);
			assertThat(keys(region, "rc:account::*")).as(region).hasSize(5);
		}
		assertThat(cache(context, "accounts2").get("k1").get()).isEqualTo("v1");
		assertThat(cache(context, "accounts").get("k1")).isNull();
	}

	// Time to live

	@Test
	void perCacheTtlIsThePttlOfTheRedisKey() {
		this.contextRunner.withPropertyValues("resilient-cache.caches.short.ttl=1s").run((context) -> {
			cache(context, "short").put("s1", "value");
			assertThat(pttl("east", "rc:short::s1")).isBetween(1L, 1000L);
			await().atMost(REPLICATION).until(() -> exists("west", "rc:short::s1"));
			assertThat(pttl("west", "rc:short::s1")).isBetween(1L, 1000L);
			cache(context, "accounts").put("a1", "value");
			assertThat(pttl("east", "rc:accounts::a1")).as("other caches keep the default").isGreaterThan(Duration.ofMinutes(9).toMillis());
		});
	}

	@Test
	void defaultTtlIsThePttlOfTheRedisKey() {
		this.contextRunner.withPropertyValues("resilient-cache.default-ttl=30s").run((context) -> {
			cache(context, "accounts").put("a1", "value");
			assertThat(pttl("east", "rc:accounts::a1")).isBetween(Duration.ofSeconds(25).toMillis(), Duration.ofSeconds(30).toMillis());
			await().atMost(REPLICATION).until(() -> exists("west", "rc:accounts::a1"));
			assertThat(pttl("west", "rc:accounts::a1")).isBetween(Duration.ofSeconds(25).toMillis(), Duration.ofSeconds(30).toMillis());
		});
	}

	@Test
	void zeroTtlMeansNoExpiry() {
		this.contextRunner.withPropertyValues("resilient-cache.default-ttl=0").run((context) -> {
			cache(context, "accounts").put("a1", "value");
			assertThat(pttl("east", "rc:accounts::a1")).isEqualTo(-1);
		});
	}

	// Loading: sync = true and retrieve

	@Test
	void syncCacheableLoadsOncePerKeyUnderConcurrency() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			int threads = 16;
			int keys = 10;
			ExecutorService executor = Executors.newFixedThreadPool(threads);
			try {
				for (int k = 0; k < keys; k++) {
					String id = "c" + k;
					CountDownLatch start = new CountDownLatch(1);
					List<Future<Account>> results = new ArrayList<>();
					for (int t = 0; t < threads; t++) {
						results.add(executor.submit(() -> {
							start.await();
							return service.findOnce(id);
						}));
					}
					start.countDown();
					for (Future<Account> result : results) {
						assertThat(result.get(5, TimeUnit.SECONDS).id()).isEqualTo(id);
					}
				}
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(service.loads()).as("one load per key").isEqualTo(keys);
		});
	}

	@Test
	void loaderExceptionReachesTheCallerAsAValueRetrievalExceptionAndALaterCallRetries() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			IllegalStateException failure = new IllegalStateException("system of record unavailable");
			assertThatExceptionOfType(ValueRetrievalException.class).isThrownBy(() -> cache.get("a1", () -> {
				throw failure;
			})).withCause(failure).satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("a1"));
			assertThat(cache.get("a1")).as("nothing cached by a failed load").isNull();
			assertThat(cache.get("a1", () -> "loaded")).isEqualTo("loaded");
			assertThat(cache.get("a1", () -> "not called")).isEqualTo("loaded");
		});
	}

	@Test
	void syncCacheableLoaderExceptionReachesTheCallerAndALaterCallRetries() {
		this.contextRunner.run((context) -> {
			Documents documents = context.getBean(Documents.class);
			documents.failNextQuotes(1);
			assertThatIllegalStateException().isThrownBy(() -> documents.quote("q1")).withMessage("quote service unavailable");
			assertThat(documents.quote("q1")).isEqualTo("quote-q1");
			assertThat(documents.quote("q1")).isEqualTo("quote-q1");
			assertThat(documents.loads()).isEqualTo(2);
		});
	}

	@Test
	void loaderErrorReachesCallersWaitingForTheSameKey() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			CountDownLatch loading = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			NoClassDefFoundError error = new NoClassDefFoundError("com/example/Missing");
			CompletableFuture<Object> first = new CompletableFuture<>();
			Thread loader = new Thread(() -> complete(first, () -> cache.get("e1", () -> {
				loading.countDown();
				release.await();
				throw error;
			})), "loader");
			CompletableFuture<Object> second = new CompletableFuture<>();
			Thread waiter = new Thread(() -> complete(second, () -> cache.get("e1", () -> "second loader")), "waiter");
			loader.start();
			assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
			waiter.start();
			// WAITING (not TIMED_WAITING, as in a Redis call) is the wait on the running load.
			await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.WAITING);
			release.countDown();
			assertThat(first).failsWithin(Duration.ofSeconds(2)).withThrowableThat().havingCause().isInstanceOf(ValueRetrievalException.class)
				.havingCause().isSameAs(error);
			assertThat(second).failsWithin(Duration.ofSeconds(2)).withThrowableThat().havingCause().isInstanceOf(ValueRetrievalException.class)
				.havingCause().isSameAs(error);
			assertThat(cache.get("e1", () -> "retried")).isEqualTo("retried");
		});
	}

	@Test
	void retrieveServesTheSecondCallOfACompletableFutureMethodFromTheCache() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			assertThat(service.findAsync("f1").get(5, TimeUnit.SECONDS).id()).isEqualTo("f1");
			await().atMost(REPLICATION).until(() -> exists("east", "rc:accounts::f1"));
			assertThat(service.findAsync("f1").get(5, TimeUnit.SECONDS).balance()).isEqualByComparingTo("100.00");
			assertThat(service.loads()).isOne();
		});
	}

	@Test
	void retrieveWithALoaderLoadsOnAMissAndCachesTheValue() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			assertThat(cache.retrieve("r1")).succeedsWithin(Duration.ofSeconds(5)).isNull();
			assertThat(cache.retrieve("r1", () -> CompletableFuture.completedFuture("loaded"))).succeedsWithin(Duration.ofSeconds(5))
				.isEqualTo("loaded");
			assertThat(cache.retrieve("r1", () -> CompletableFuture.completedFuture("not called")))
				.succeedsWithin(Duration.ofSeconds(5))
				.isEqualTo("loaded");
			assertThat(cache.retrieve("r1")).succeedsWithin(Duration.ofSeconds(5))
				.isInstanceOfSatisfying(Cache.ValueWrapper.class, (wrapper) -> assertThat(wrapper.get()).isEqualTo("loaded"));
		});
	}

	@Test
	void retrieveWithALoaderLoadsOncePerKeyUnderConcurrency() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			int callers = 16;
			int keys = 10;
			AtomicInteger loads = new AtomicInteger();
			ExecutorService executor = Executors.newFixedThreadPool(callers);
			try {
				for (int k = 0; k < keys; k++) {
					String key = "s" + k;
					CompletableFuture<String> value = new CompletableFuture<>();
					CountDownLatch start = new CountDownLatch(1);
					List<Future<CompletableFuture<String>>> calls = new ArrayList<>();
					for (int c = 0; c < callers; c++) {
						calls.add(executor.submit(() -> {
							start.await();
							return cache.retrieve(key, () -> {
								loads.incrementAndGet();
								return value;
							});
						}));
					}
					start.countDown();
					List<CompletableFuture<String>> results = new ArrayList<>();
					for (Future<CompletableFuture<String>> call : calls) {
						results.add(call.get(5, TimeUnit.SECONDS));
					}
					// The load is held open until every caller has made its call: they all overlap it.
					int loadsSoFar = k + 1;
					await().atMost(Duration.ofSeconds(5)).until(() -> loads.get() == loadsSoFar);
					value.complete("loaded-" + key);
					for (CompletableFuture<String> result : results) {
						assertThat(result).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("loaded-" + key);
					}
				}
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(loads.get()).as("one load per key").isEqualTo(keys);
			assertThat(cache.get("s0")).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo("loaded-s0");
		});
	}

	@Test
	void retrieveWithALoaderFailureReachesTheCallerAndALaterCallRetries() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			IllegalStateException failure = new IllegalStateException("system of record unavailable");
			assertThat(cache.retrieve("f1", () -> CompletableFuture.<String>failedFuture(failure))).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingRootCause()
				.isSameAs(failure);
			assertThat(cache.retrieve("f1", () -> CompletableFuture.completedFuture("retried"))).succeedsWithin(Duration.ofSeconds(5))
				.isEqualTo("retried");
		});
	}

	// Poison entries

	@Test
	void poisonEntryIsAMissAndIsDeletedWithoutFailingTheRegion() {
		this.contextRunner.run((context) -> {
			setRaw("east", "rc:accounts::p1", new byte[] { 0, (byte) 0xff, 'V', '\n', 'x', '\r', '\n' });
			assertThat(cache(context, "accounts").get("p1")).isNull();
			await().atMost(REPLICATION).until(() -> !exists("east", "rc:accounts::p1"));
			Region east = context.getBean(Regions.class).get("east");
			assertThat(east.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
			assertThat(east.state()).isEqualTo(RegionState.UP);
			assertThat(context.getBean(MultiRegionCacheManager.class).getStatistics("accounts").poisoned(0)).isOne();
		});
	}

	@Test
	void poisonEntryRunsTheCacheableMethodAndTheValueItCachesSurvivesTheEviction() {
		this.contextRunner.run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			int keys = 100;
			for (int i = 0; i < keys; i++) {
				// A well-formed entry whose payload no longer decodes, as after a change of the cached class.
				StoredEntry poison = StoredEntry.value(new Version(System.currentTimeMillis() << 16, "west"), bytes("{\"@class\":"));
				setRaw("east", "rc:accounts::p" + i, poison.toBytes());
				assertThat(service.find("p" + i).id()).isEqualTo("p" + i);
			}
			assertThat(service.loads()).isEqualTo(keys);
			await().during(Duration.ofMillis(300)).atMost(REPLICATION).until(() -> allHoldValues("east", "rc:accounts::p", keys));
			for (int i = 0; i < keys; i++) {
				assertThat(service.find("p" + i).id()).isEqualTo("p" + i);
			}
			assertThat(service.loads()).as("every reloaded value stayed cached").isEqualTo(keys);
			Region east = context.getBean(Regions.class).get("east");
			assertThat(east.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
			assertThat(east.state()).isEqualTo(RegionState.UP);
		});
	}

	@Test
	void entryOfAClassOutsideTheAllowlistIsAMissAndIsEvicted() {
		this.contextRunner.run((context) -> {
			AllowlistJsonValueCodec permissive = new AllowlistJsonValueCodec(List.of(Secret.class.getPackageName()));
			StoredEntry entry = StoredEntry.value(new Version(System.currentTimeMillis() << 16, "east"),
					permissive.encode(new Secret("do not instantiate")));
			setRaw("east", "rc:accounts::s1", entry.toBytes());
			assertThat(cache(context, "accounts").get("s1")).isNull();
			await().atMost(REPLICATION).until(() -> !exists("east", "rc:accounts::s1"));
			Region east = context.getBean(Regions.class).get("east");
			assertThat(east.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
			assertThat(east.state()).isEqualTo(RegionState.UP);
		});
	}

	// Bad input

	@Test
	void nullKeyIsRejectedNamingTheFix() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			assertThatIllegalArgumentException().isThrownBy(() -> cache.get(null)).withMessageContaining("must not be null")
				.withMessageContaining("key expression");
			assertThatIllegalArgumentException().isThrownBy(() -> cache.put(null, "v")).withMessageContaining("key expression");
			assertThatIllegalArgumentException().isThrownBy(() -> cache.evict(null)).withMessageContaining("key expression");
		});
	}

	@Test
	void keyWithoutStableTextIsRejectedNamingTheFix() {
		this.contextRunner.run((context) -> assertThatIllegalArgumentException().isThrownBy(() -> cache(context, "accounts").get(new Object()))
			.withMessageContaining("override toString()"));
	}

	@Test
	void keysWithGlobLineBreakHashTagAndSeparatorCharactersRoundTrip() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			List<String> keys = List.of("*", "a*b", "?", "[abc]", "line\r\nbreak", "{hashtag}", "a::b", "::", "\\*");
			keys.forEach((key) -> cache.put(key, "value of " + key));
			keys.forEach((key) -> assertThat(cache.get(key)).as(key).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo("value of " + key));
			cache.evict("*");
			assertThat(cache.get("*")).isNull();
			assertThat(cache.get("a*b")).as("evicting '*' evicts that key only").isNotNull();
		});
	}

	@Test
	void keysWithGlobLineBreakHashTagAndSeparatorCharactersSurviveClearingAnotherCache() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "accounts");
			List<String> keys = List.of("*", "a*b", "?", "[abc]", "line\r\nbreak", "{hashtag}", "a::b", "::");
			keys.forEach((key) -> cache.put(key, "value of " + key));
			cache(context, "accounts2").put("x", "y");
			cache(context, "account").put("x", "y");
			await().atMost(REPLICATION).until(() -> entries("west") == keys.size() + 2);
			cache(context, "accounts2").clear();
			cache(context, "account").clear();
			await().atMost(REPLICATION).until(() -> entries("west") == keys.size());
			assertThat(entries("east")).isEqualTo(keys.size());
			keys.forEach((key) -> assertThat(cache.get(key)).as(key).isNotNull());
		});
	}

	// Values that cannot be cached

	@Test
	void valueLargerThanTheMaxValueSizeIsNotCachedAndEvictsThePreviousValue() {
		this.contextRunner.withPropertyValues("resilient-cache.max-value-size=1KB").run((context) -> {
			Documents documents = context.getBean(Documents.class);
			documents.store("d1", "small");
			assertThat(documents.find("d1")).isEqualTo("small");
			await().atMost(REPLICATION).until(() -> kindIn("west", "rc:documents::d1") == StoredEntry.Kind.VALUE);
			String large = "x".repeat(2048);
			assertThat(documents.save("d1", large)).isEqualTo(large);
			assertThat(documents.find("d1")).as("no stale value").isEqualTo(large);
			assertThat(documents.find("d1")).isEqualTo(large);
			assertThat(documents.loads()).as("the large value is never cached").isEqualTo(3);
			assertThat(kindIn("east", "rc:documents::d1")).isEqualTo(StoredEntry.Kind.TOMBSTONE);
			await().atMost(REPLICATION).until(() -> kindIn("west", "rc:documents::d1") == StoredEntry.Kind.TOMBSTONE);
			assertThat(context.getBean(MultiRegionCacheManager.class).getStatistics("documents").notCached()).isEqualTo(3);
		});
	}

	@Test
	void valueTheCodecCannotEncodeIsNotCachedAndTheCallSucceeds() {
		this.contextRunner.run((context) -> {
			Documents documents = context.getBean(Documents.class);
			documents.store("u1", "readable");
			assertThat(documents.find("u1")).isEqualTo("readable");
			Unencodable unencodable = new Unencodable();
			assertThat(documents.save("u1", unencodable)).isSameAs(unencodable);
			assertThat(documents.find("u1")).as("no stale value").isSameAs(unencodable);
			assertThat(documents.find("u1")).isSameAs(unencodable);
			assertThat(documents.loads()).isEqualTo(3);
			assertThat(kindIn("east", "rc:documents::u1")).isEqualTo(StoredEntry.Kind.TOMBSTONE);
		});
	}

	// Replication mode

	@Test
	void syncReplicationWritesBothRegionsBeforePutReturns() {
		this.contextRunner.withPropertyValues("resilient-cache.replication.mode=sync").run((context) -> {
			Cache cache = cache(context, "accounts");
			for (int i = 0; i < 20; i++) {
				cache.put("k" + i, "v" + i);
				assertThat(valueIn(context, "west", "rc:accounts::k" + i)).isEqualTo("v" + i);
			}
			cache.evict("k1");
			assertThat(kindIn("west", "rc:accounts::k1")).isEqualTo(StoredEntry.Kind.TOMBSTONE);
			cache.clear();
			assertThat(keys("west", "rc:accounts::*")).isEmpty();
		});
	}

	// Helpers

	private static Cache cache(AssertableApplicationContext context, String name) {
		Cache cache = context.getBean(CacheManager.class).getCache(name);
		assertThat(cache).isNotNull();
		return cache;
	}

	private static boolean exists(String region, String key) {
		return regions.get(region).command("EXISTS", key).equals(1L);
	}

	private static long pttl(String region, String key) {
		return (Long) regions.get(region).command("PTTL", key);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> keys(String region, String pattern) {
		return (List<Object>) regions.get(region).command("KEYS", pattern);
	}

	private static byte @Nullable [] raw(String region, String key) {
		try (RespClient client = rawClient(region)) {
			return (byte[]) client.commandBytes(bytes("GET"), bytes(key));
		}
	}

	private static void setRaw(String region, String key, byte[] value) {
		try (RespClient client = rawClient(region)) {
			client.commandBytes(bytes("SET"), bytes(key), value);
		}
	}

	private static boolean allHoldValues(String region, String keyPrefix, int count) {
		byte[][] command = new byte[count + 1][];
		command[0] = bytes("MGET");
		for (int i = 0; i < count; i++) {
			command[i + 1] = bytes(keyPrefix + i);
		}
		try (RespClient client = rawClient(region)) {
			List<?> values = (List<?>) client.commandBytes(command);
			return values.stream().allMatch((raw) -> raw != null && StoredEntry.fromBytes((byte[]) raw).kind() == StoredEntry.Kind.VALUE);
		}
	}

	private static @Nullable StoredEntry entry(String region, String key) {
		return StoredEntry.fromBytes(raw(region, key));
	}

	private static StoredEntry.@Nullable Kind kindIn(String region, String key) {
		StoredEntry entry = entry(region, key);
		return (entry != null) ? entry.kind() : null;
	}

	private static @Nullable Object valueIn(AssertableApplicationContext context, String region, String key) {
		StoredEntry entry = entry(region, key);
		assertThat(entry).as(key + " in " + region).isNotNull();
		assertThat(entry.kind()).isEqualTo(StoredEntry.Kind.VALUE);
		return context.getBean(ValueCodec.class).decode(entry.payload());
	}

	private static RespClient rawClient(String region) {
		return RespClient.connect("127.0.0.1", regions.get(region).port(), Duration.ofSeconds(2));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static void complete(CompletableFuture<Object> future, Callable<Object> call) {
		try {
			future.complete(call.call());
		}
		catch (Throwable ex) {
			future.completeExceptionally(ex);
		}
	}

	record Secret(String text) {
	}

	/**
	 * A value whose getter fails, as a lazily loaded entity outside its session does.
	 */
	static class Unencodable {

		public String getBalance() {
			throw new IllegalStateException("not loaded");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DocumentsConfiguration {

		@Bean
		Documents documents() {
			return new Documents();
		}

	}

	/**
	 * A second service, for what {@link AccountService} cannot return: large, unencodable or
	 * failing values.
	 */
	static class Documents {

		private final Map<String, Object> records = new ConcurrentHashMap<>();

		private final AtomicInteger loads = new AtomicInteger();

		private final AtomicInteger failuresLeft = new AtomicInteger();

		@Cacheable("documents")
		public @Nullable Object find(String id) {
			this.loads.incrementAndGet();
			return this.records.get(id);
		}

		@CachePut(cacheNames = "documents", key = "#id")
		public Object save(String id, Object content) {
			this.records.put(id, content);
			return content;
		}

		@Cacheable(cacheNames = "quotes", sync = true)
		public String quote(String id) {
			this.loads.incrementAndGet();
			if (this.failuresLeft.getAndDecrement() > 0) {
				throw new IllegalStateException("quote service unavailable");
			}
			return "quote-" + id;
		}

		void store(String id, Object content) {
			this.records.put(id, content);
		}

		void failNextQuotes(int count) {
			this.failuresLeft.set(count);
		}

		int loads() {
			return this.loads.get();
		}

	}


	/**
	 * Cache entries in a region, leaving out the starter's own keys (a journal, a canary) that a
	 * loaded machine's timeouts may leave there for a moment.
	 */
	private static int entries(String region) {
		return ((java.util.List<?>) regions.get(region).command("KEYS", "rc:*::*")).size();
	}

}
