package io.github.resilientcache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.recovery.JournalReplayer;
import io.github.resilientcache.recovery.ReplayResult;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.region.Version;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.JournalStore;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.EmbeddedRedis;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

import static org.awaitility.Awaitility.await;

/**
 * Replay rate of a journal of N keys (default 100k), against a baseline measured in the same run: a
 * plain pipelined copy of the same entries between the same two servers (GET then SET, no journal,
 * no version check), i.e. the cost of moving the data at all. Several rounds, each from an empty east
 * and a full journal, the copy before the replay in one round and after it in the next; the ratio
 * is the median of the per-round ratios.
 */
final class ReplayRateBenchmark {

	private static final int BATCH = 200;

	private ReplayRateBenchmark() {
	}

	/**
	 * What one replay run measured.
	 * @param keys keys in the journal
	 * @param replayRate keys replayed per second
	 * @param baselineRate keys copied per second by the plain pipelined copy
	 * @param result the last round's replay result
	 * @param spread the per-round ratios of replay to copy: median and range
	 */
	record Figures(int keys, double replayRate, double baselineRate, ReplayResult result, Spread spread) {

		double ratio() {
			return this.spread.median();
		}

	}

	static Figures run(int keys, int rounds) {
		try (EmbeddedRedis east = EmbeddedRedis.start("bench-east"); EmbeddedRedis west = EmbeddedRedis.start("bench-west")) {
			RedissonClient eastClient = BenchmarkRegions.client(east);
			RedissonClient westClient = BenchmarkRegions.client(west);
			try {
				Region eastRegion = BenchmarkRegions.region("east", true, eastClient);
				Region westRegion = BenchmarkRegions.region("west", false, westClient);
				Regions regions = new Regions(List.of(eastRegion, westRegion), new KeySpace("rc"));
				ReplayJournal journal = new ReplayJournal(regions, new JournalStore(regions.keys()), keys * 2, keys * 2, "benchmark");
				List<String> names = new ArrayList<>(keys);
				for (int i = 0; i < keys; i++) {
					names.add("rc:accounts::account-" + i);
				}
				byte[] payload = "{\"@class\":\"com.example.Account\",\"id\":\"a\",\"balance\":1234.56,\"blocked\":false}"
					.getBytes(StandardCharsets.UTF_8);
				forEachBatch(names, (key) -> westRegion.direct().write(key, StoredEntry.value(new Version(System.currentTimeMillis() << 16, "west"), payload), 600_000));
				// One call through each region first: until a region's first successful call its operations
				// start from a bounded connector queue, which a burst of journal records would overflow.
				westRegion.call((store) -> store.get("warm-up"), TimeUnit.SECONDS.toNanos(5));
				eastRegion.call((store) -> store.get("warm-up"), TimeUnit.SECONDS.toNanos(5));
				// Regions start OPEN: west serves as the healthy peer, east stays out and misses the writes.
				westRegion.beginRecovery("benchmark");
				westRegion.recovered("benchmark");
				List<Double> ratios = new ArrayList<>();
				List<Double> replayRates = new ArrayList<>();
				List<Double> baselineRates = new ArrayList<>();
				ReplayResult result = null;
				for (int round = 0; round < rounds; round++) {
					// Each round from an empty east and a full journal; the order of the two copies alternates.
					east.flushAll();
					if (eastRegion.state() != io.github.resilientcache.region.RegionState.OPEN) {
						eastRegion.fail("benchmark round");
					}
					names.forEach((key) -> journal.record(eastRegion, key, "benchmark"));
					await().atMost(Duration.ofMinutes(2)).until(() -> journal.store().depth(westClient, "east") == keys);
					double baselineRate = 0;
					if (round % 2 == 0) {
						baselineRate = baselineCopy(names, westClient, eastClient);
					}
					eastRegion.beginRecovery("benchmark");
					result = new JournalReplayer(regions, journal, new HybridLogicalClock(Duration.ofSeconds(5)), BATCH, Integer.MAX_VALUE).replay(eastRegion);
					if (round % 2 == 1) {
						baselineRate = baselineCopy(names, westClient, eastClient);
					}
					System.out.printf("[benchmark] round %d, replay of a %,d-key journal: %s%n", round + 1, keys, result.describe());
					System.out.printf("[benchmark] round %d: replay rate %,.0f keys/s; baseline plain copy %,.0f keys/s; ratio %.2f%n", round + 1,
							result.rate(), baselineRate, result.rate() / baselineRate);
					if (result.copied() != keys || journal.store().depth(westClient, "east") != 0) {
						throw new IllegalStateException("Replay incomplete: " + result.describe());
					}
					ratios.add(result.rate() / baselineRate);
					replayRates.add(result.rate());
					baselineRates.add(baselineRate);
					eastRegion.recovered("benchmark");
				}
				Spread ratio = Spread.of(ratios);
				System.out.printf("[benchmark] replay of %,d keys, %d rounds: %,.0f keys/s (median), ratio to the plain pipelined copy %s%n", keys, rounds,
						Spread.of(replayRates).median(), ratio.ratio());
				double baselineRate = Spread.of(baselineRates).median();
				return new Figures(keys, Spread.of(replayRates).median(), baselineRate, result, ratio);
			}
			finally {
				eastClient.shutdown();
				westClient.shutdown();
			}
		}
	}

	private static double baselineCopy(List<String> names, RedissonClient westClient, RedissonClient eastClient) {
		long start = System.nanoTime();
		forEachBatch(names, (key) -> westClient.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).getAsync()
			.thenCompose((value) -> eastClient.<byte[]>getBucket("baseline:" + key, ByteArrayCodec.INSTANCE).setAsync(value)));
		return names.size() / ((System.nanoTime() - start) / 1e9);
	}

	private static void forEachBatch(List<String> keys, java.util.function.Function<String, java.util.concurrent.CompletionStage<?>> operation) {
		for (int from = 0; from < keys.size(); from += BATCH) {
			List<CompletableFuture<?>> calls = new ArrayList<>(BATCH);
			for (String key : keys.subList(from, Math.min(keys.size(), from + BATCH))) {
				calls.add(operation.apply(key).toCompletableFuture());
			}
			CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
		}
	}

}
