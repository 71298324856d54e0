package io.github.resilientcache.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.TestApplications;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * One Micrometer observation per cache operation, with low-cardinality key values, when the
 * application has an observation registry, over real Redis servers.
 */
class ObservedCacheTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private final Recorder recorder = new Recorder();

	private final ApplicationContextRunner runner = TestApplications.runner(regions, "east");

	private ApplicationContextRunner observed() {
		return this.runner.withBean(ObservationRegistry.class, () -> {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(this.recorder);
			return registry;
		});
	}

	@Test
	void everyOperationIsObservedWithItsCacheOperationRegionAndOutcome() {
		observed().run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("accounts");
			cache.get("o1");
			cache.put("o1", "value");
			cache.get("o1");
			cache.get("o2", () -> "loaded");
			cache.evict("o1");
			assertThat(this.recorder.observed()).containsExactly(
					Map.of("cache", "accounts", "operation", "get", "region", "east", "outcome", "miss"),
					Map.of("cache", "accounts", "operation", "put", "region", "east", "outcome", "success"),
					Map.of("cache", "accounts", "operation", "get", "region", "east", "outcome", "hit"),
					Map.of("cache", "accounts", "operation", "load", "region", "east", "outcome", "miss"),
					Map.of("cache", "accounts", "operation", "evict", "region", "east", "outcome", "success"));
			assertThat(this.recorder.names).containsOnly("resilient.cache.operation");
		});
	}

	@Test
	void retrieveIsObservedWhenItsFutureCompletes() {
		observed().run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("accounts");
			assertThat(cache.retrieve("r1", () -> CompletableFuture.completedFuture("loaded"))).succeedsWithin(Duration.ofSeconds(5));
			assertThat(this.recorder.observed()).containsExactly(
					Map.of("cache", "accounts", "operation", "retrieve", "region", "unknown", "outcome", "miss"));
		});
	}

	@Test
	void aFailedOperationIsObservedAsAnErrorAndStillThrows() {
		observed().withPropertyValues("resilient-cache.allow-null-values=false").run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("accounts");
			assertThatIllegalArgumentException().isThrownBy(() -> cache.put("e1", null));
			assertThat(this.recorder.observed()).singleElement().satisfies((keyValues) -> assertThat(keyValues).containsEntry("outcome", "error"));
			assertThat(this.recorder.errors).hasSize(1);
		});
	}

	@Test
	void aNearHitIsCountedButNotObserved() {
		observed().withPropertyValues("resilient-cache.caches.accounts.near-cache.enabled=true",
				"resilient-cache.near-cache.heartbeat-interval=100ms").run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("accounts");
			NearCache near = context.getBean(MultiRegionCacheManager.class).getNearCache("accounts");
			assertThat(near).isNotNull();
			cache.put("n1", "value");
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				long hits = near.hits();
				cache.get("n1");
				return near.hits() > hits;
			});
			this.recorder.stopped.clear();
			long hits = near.hits();
			int reads = 0;
			for (int i = 0; i < 5; i++) {
				assertThat(cache.get("n1")).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo("value");
				assertThat(cache.get("n1", String.class)).isEqualTo("value");
				assertThat(cache.get("n1", () -> "loaded")).isEqualTo("value");
				assertThat(cache.retrieve("n1")).succeedsWithin(Duration.ofSeconds(5));
				assertThat(cache.retrieve("n1", () -> CompletableFuture.completedFuture("loaded"))).succeedsWithin(Duration.ofSeconds(5))
					.isEqualTo("value");
				reads += 5;
			}
			long nearHits = near.hits() - hits;
			assertThat(nearHits).isPositive();
			// Every read the near tier did not serve (after a flush, say) was observed as a hit of a region; no near hit was.
			assertThat(this.recorder.observed()).hasSize((int) (reads - nearHits))
				.allSatisfy((keyValues) -> assertThat(keyValues).containsEntry("outcome", "hit"));
		});
	}

	@Test
	void cachesAreNotWrappedWithoutAnObservationRegistry() {
		this.runner.run((context) -> assertThat(context.getBean(CacheManager.class).getCache("accounts")).isInstanceOf(MultiRegionCache.class));
	}

	@Test
	void cachesAreNotWrappedWhenTheRegistryHasNoHandler() {
		this.runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(context.getBean(CacheManager.class).getCache("accounts")).isInstanceOf(MultiRegionCache.class));
	}

	static final class Recorder implements ObservationHandler<Observation.Context> {

		private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		private final List<String> names = new CopyOnWriteArrayList<>();

		private final List<Throwable> errors = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
			this.names.add(context.getName());
		}

		@Override
		public void onError(Observation.Context context) {
			this.errors.add(context.getError());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		List<Map<String, String>> observed() {
			return this.stopped.stream()
				.map((context) -> context.getLowCardinalityKeyValues().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue)))
				.toList();
		}

	}

}
