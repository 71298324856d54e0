package io.github.resilientcache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.JournalReplayer;
import io.github.resilientcache.recovery.ReconciliationResult;
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
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * What repair costs, each figure next to a baseline measured in the same run on the same servers:
 * <ul>
 * <li>a warm resync of a region from its peer (N entries), against a plain pipelined copy of the
 * same entries (GET from the peer, SET into the target, one batch of each per page);</li>
 * <li>an anti-entropy run over N entries equal in both regions (digests of key buckets), against a
 * full scan that reads every entry of both regions (SCAN, then a pipelined GET per key).</li>
 * </ul>
 */
final class RecoveryBenchmark {

	private static final int PAGE = 1_000;

	private static final byte[] PAYLOAD = "{\"@class\":\"com.example.Account\",\"id\":\"a\",\"balance\":1234.56,\"blocked\":false}"
		.getBytes(StandardCharsets.UTF_8);

	private RecoveryBenchmark() {
	}

	/**
	 * What one run measured.
	 * @param resync the warm resync's result
	 * @param resyncRate entries copied per second by the resync
	 * @param copyRate entries copied per second by the plain pipelined copy
	 * @param reconciliation the anti-entropy run's result
	 * @param scanMillis the full GET scan of both regions, milliseconds
	 */
	record Figures(ReplayResult resync, double resyncRate, double copyRate, ReconciliationResult reconciliation, double scanMillis) {
	}

	static Figures run(int keys) {
		try (EmbeddedRedis east = EmbeddedRedis.start("bench-east"); EmbeddedRedis west = EmbeddedRedis.start("bench-west")) {
			RedissonClient eastClient = BenchmarkRegions.client(east);
			RedissonClient westClient = BenchmarkRegions.client(west);
			try {
				HybridLogicalClock clock = new HybridLogicalClock(Duration.ofSeconds(5));
				Region eastRegion = BenchmarkRegions.region("east", true, eastClient);
				Region westRegion = BenchmarkRegions.region("west", false, westClient);
				Regions regions = new Regions(List.of(eastRegion, westRegion), new KeySpace("rc"));
				ReplayJournal journal = new ReplayJournal(regions, new JournalStore(regions.keys()), keys, keys, "benchmark");
				List<String> names = new ArrayList<>(keys);
				for (int i = 0; i < keys; i++) {
					names.add("rc:accounts::account-" + i);
				}
				Version version = new Version(clock.next(), "west");
				for (int from = 0; from < keys; from += PAGE) {
					List<CompletableFuture<?>> writes = new ArrayList<>();
					for (String key : names.subList(from, Math.min(keys, from + PAGE))) {
						writes.add(westRegion.direct().write(key, StoredEntry.value(version, PAYLOAD), 600_000).toCompletableFuture());
					}
					CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
				}
				westRegion.beginRecovery("benchmark");
				westRegion.recovered("benchmark");

				long baselineStart = System.nanoTime();
				for (int from = 0; from < keys; from += PAGE) {
					plainCopy(westClient, eastClient, names.subList(from, Math.min(keys, from + PAGE)));
				}
				double baselineRate = keys / ((System.nanoTime() - baselineStart) / 1e9);
				eastClient.getKeys().flushall();

				journal.requireResync(eastRegion);
				eastRegion.beginRecovery("benchmark");
				ReplayResult resync = new JournalReplayer(regions, journal, clock, PAGE, Integer.MAX_VALUE).replay(eastRegion);
				double resyncRate = resync.peerKeys() / (resync.duration().toNanos() / 1e9);
				eastRegion.recovered("benchmark");
				System.out.printf("[benchmark] warm resync of %,d entries: %s%n", keys, resync.describe());
				System.out.printf("[benchmark] resync copy %,.0f keys/s; baseline plain pipelined copy %,.0f keys/s; ratio %.2f%n", resyncRate,
						baselineRate, resyncRate / baselineRate);

				long scanStart = System.nanoTime();
				long read = fullScan(eastClient) + fullScan(westClient);
				double scanMillis = (System.nanoTime() - scanStart) / 1e6;
				AntiEntropyReconciler reconciler = new AntiEntropyReconciler(regions, clock,
						new AntiEntropyReconciler.Settings(false, Duration.ofMinutes(5), PAGE, Integer.MAX_VALUE, Duration.ofMinutes(1)), (result) -> {
						});
				ReconciliationResult result = reconciler.reconcileNow();
				System.out.printf("[benchmark] anti-entropy over %,d equal entries: %s%n", keys, result.describe());
				System.out.printf("[benchmark] anti-entropy %d ms, %d round trips; baseline full GET scan of both regions %.0f ms (%,d entries read); "
						+ "ratio %.2f%n", result.duration().toMillis(), result.roundTrips(), scanMillis, read, result.duration().toMillis() / scanMillis);
				if (result.divergent() != 0 || resync.peerKeys() != keys) {
					throw new IllegalStateException("Regions did not agree after the resync: " + result.describe());
				}
				return new Figures(resync, resyncRate, baselineRate, result, scanMillis);
			}
			finally {
				eastClient.shutdown();
				westClient.shutdown();
			}
		}
	}

	private static void plainCopy(RedissonClient from, RedissonClient to, List<String> keys) {
		RBatch reads = from.createBatch(BatchOptions.defaults());
		List<CompletableFuture<byte[]>> values = new ArrayList<>(keys.size());
		keys.forEach((key) -> values.add(reads.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).getAsync().toCompletableFuture()));
		reads.execute();
		RBatch writes = to.createBatch(BatchOptions.defaults());
		for (int i = 0; i < keys.size(); i++) {
			writes.<byte[]>getBucket(keys.get(i), ByteArrayCodec.INSTANCE).setAsync(values.get(i).join(), Duration.ofMinutes(10));
		}
		writes.execute();
	}

	private static long fullScan(RedissonClient client) {
		long read = 0;
		List<String> page = new ArrayList<>(PAGE);
		for (String key : (Iterable<String>) client.getKeys().getKeysStreamByPattern("rc:*::*", PAGE)::iterator) {
			page.add(key);
			if (page.size() == PAGE) {
				read += readAll(client, page);
				page.clear();
			}
		}
		return read + readAll(client, page);
	}

	private static long readAll(RedissonClient client, List<String> keys) {
		if (keys.isEmpty()) {
			return 0;
		}
		RBatch batch = client.createBatch(BatchOptions.defaults());
		keys.forEach((key) -> batch.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).getAsync());
		return batch.execute().getResponses().size();
	}

}
