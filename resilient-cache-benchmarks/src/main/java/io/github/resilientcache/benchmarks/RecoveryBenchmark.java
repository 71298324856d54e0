package io.github.resilientcache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.JournalReplayer;
import io.github.resilientcache.recovery.ReconciliationResult;
import io.github.resilientcache.recovery.ReplayResult;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
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
	 * @param medianRatio the median over the rounds of resync rate / plain copy rate
	 * @param minRatio the lowest round's ratio
	 * @param maxRatio the highest round's ratio
	 * @param scanCopyRatio the median over the rounds of resync rate / scanning copy rate
	 * @param reconciliation the anti-entropy run's result
	 * @param scanMillis the full GET scan of both regions, milliseconds
	 */
	record Figures(ReplayResult resync, double resyncRate, double copyRate, double medianRatio, double minRatio, double maxRatio,
			double scanCopyRatio, 			ReconciliationResult reconciliation, double scanMillis) {
	}

	static Figures run(int keys) {
		return run(keys, 1);
	}

	/**
	 * Runs the benchmark.
	 * @param keys entries in the peer
	 * @param rounds interleaved rounds of plain copy and resync
	 * @return the figures, with the median ratio of the rounds
	 */
	static Figures run(int keys, int rounds) {
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

				// Interleaved rounds on the same servers (copy, resync, copy, resync...), each round's
				// ratio taken against the copy measured just before it: a busy moment of the machine
				// moves both sides of a ratio, not one column.
				List<Double> ratios = new ArrayList<>();
				List<Double> scanRatios = new ArrayList<>();
				List<Double> cpuRatios = new ArrayList<>();
				ReplayResult resync = null;
				double resyncRate = 0;
				double baselineRate = 0;
				for (int round = 0; round < rounds; round++) {
					eastClient.getKeys().flushall();
					double[] cpuBefore = cpu(eastClient, westClient);
					long baselineStart = System.nanoTime();
					for (int from = 0; from < keys; from += PAGE) {
						plainCopy(westClient, eastClient, names.subList(from, Math.min(keys, from + PAGE)));
					}
					double copyRate = keys / ((System.nanoTime() - baselineStart) / 1e9);
					double[] copyCpu = since(cpuBefore, cpu(eastClient, westClient));
					eastClient.getKeys().flushall();
					cpuBefore = cpu(eastClient, westClient);
					long scanCopyStart = System.nanoTime();
					long scanCopied = scanCopy(westClient, eastClient);
					double scanCopyRate = scanCopied / ((System.nanoTime() - scanCopyStart) / 1e9);
					double[] scanCopyCpu = since(cpuBefore, cpu(eastClient, westClient));
					eastClient.getKeys().flushall();
					cpuBefore = cpu(eastClient, westClient);
					if (eastRegion.state() == RegionState.UP) {
						eastRegion.fail("benchmark");
					}
					journal.requireResync(eastRegion);
					eastRegion.beginRecovery("benchmark");
					ReplayResult result = new JournalReplayer(regions, journal, clock, PAGE, Integer.MAX_VALUE).replay(eastRegion);
					eastRegion.recovered("benchmark");
					double[] resyncCpu = since(cpuBefore, cpu(eastClient, westClient));
					System.out.printf("[benchmark] round %d CPU seconds (client, target, peer): copy of known keys %.2f, %.2f, %.2f; scanning copy "
							+ "%.2f, %.2f, %.2f; resync %.2f, %.2f, %.2f%n", round + 1, copyCpu[0], copyCpu[1], copyCpu[2], scanCopyCpu[0], scanCopyCpu[1],
							scanCopyCpu[2], resyncCpu[0], resyncCpu[1], resyncCpu[2]);
					cpuRatios.add(sum(resyncCpu) / sum(scanCopyCpu));
					scanRatios.add(0.0);
					double rate = result.peerKeys() / (result.duration().toNanos() / 1e9);
					ratios.add(rate / copyRate);
					scanRatios.set(round, rate / scanCopyRate);
					System.out.printf("[benchmark] round %d: resync %,.0f keys/s; copy of known keys %,.0f keys/s, ratio %.2f; scanning copy %,.0f keys/s, "
							+ "ratio %.2f (%s)%n", round + 1, rate, copyRate, rate / copyRate, scanCopyRate, rate / scanCopyRate, result.describe());
					resync = result;
					resyncRate = rate;
					baselineRate = copyRate;
				}
				List<Double> sorted = ratios.stream().sorted().toList();
				double median = sorted.get(sorted.size() / 2);
				List<Double> scanSorted = scanRatios.stream().sorted().toList();
				List<Double> cpuSorted = cpuRatios.stream().sorted().toList();
				System.out.printf("[benchmark] warm resync of %,d entries, %d rounds, median (min-max) of the rounds' ratios: to the scanning copy %.2f "
						+ "(%.2f-%.2f); to the copy of known keys %.2f (%.2f-%.2f); CPU time (client and servers) to the scanning copy's %.2f (%.2f-%.2f)%n",
						keys, rounds, scanSorted.get(scanSorted.size() / 2), scanSorted.get(0), scanSorted.get(scanSorted.size() - 1), median,
						sorted.get(0), sorted.get(sorted.size() - 1), cpuSorted.get(cpuSorted.size() / 2), cpuSorted.get(0),
						cpuSorted.get(cpuSorted.size() - 1));
				double scanMedian = scanSorted.get(scanSorted.size() / 2);

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
				return new Figures(resync, resyncRate, baselineRate, median, sorted.get(0), sorted.get(sorted.size() - 1), scanMedian, result,
						scanMillis);
			}
			finally {
				eastClient.shutdown();
				westClient.shutdown();
			}
		}
	}

	/** CPU seconds used so far by this process and by both servers. */
	private static double[] cpu(RedissonClient... servers) {
		double[] cpu = new double[servers.length + 1];
		for (int i = 0; i < servers.length; i++) {
			Map<String, String> info = servers[i].getRedisNodes(org.redisson.api.redisnode.RedisNodes.SINGLE).getInstance()
				.info(org.redisson.api.redisnode.RedisNode.InfoSection.CPU);
			cpu[i + 1] = Double.parseDouble(info.get("used_cpu_user")) + Double.parseDouble(info.get("used_cpu_sys"));
		}
		cpu[0] = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1e9;
		return cpu;
	}

	private static double[] since(double[] before, double[] after) {
		double[] used = new double[before.length];
		for (int i = 0; i < used.length; i++) {
			used[i] = after[i] - before[i];
		}
		return used;
	}

	private static double sum(double[] values) {
		double sum = 0;
		for (double value : values) {
			sum += value;
		}
		return sum;
	}

	/**
	 * The least a correct copy of a region does: list its keys (SCAN), read each value with its
	 * remaining time to live (GET and PTTL, pipelined) and write it with that time to live (SET PX,
	 * pipelined), a page at a time. No version check.
	 */
	private static long scanCopy(RedissonClient from, RedissonClient to) {
		long copied = 0;
		List<String> page = new ArrayList<>(PAGE);
		for (String key : (Iterable<String>) from.getKeys().getKeysStreamByPattern("rc:*::*", PAGE)::iterator) {
			page.add(key);
			if (page.size() == PAGE) {
				copied += copyPage(from, to, page);
				page.clear();
			}
		}
		return copied + copyPage(from, to, page);
	}

	private static long copyPage(RedissonClient from, RedissonClient to, List<String> keys) {
		if (keys.isEmpty()) {
			return 0;
		}
		RBatch reads = from.createBatch(BatchOptions.defaults());
		List<CompletableFuture<byte[]>> values = new ArrayList<>(keys.size());
		List<CompletableFuture<Long>> ttls = new ArrayList<>(keys.size());
		for (String key : keys) {
			values.add(reads.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).getAsync().toCompletableFuture());
			ttls.add(reads.getBucket(key, ByteArrayCodec.INSTANCE).remainTimeToLiveAsync().toCompletableFuture());
		}
		reads.execute();
		RBatch writes = to.createBatch(BatchOptions.defaults());
		for (int i = 0; i < keys.size(); i++) {
			writes.<byte[]>getBucket(keys.get(i), ByteArrayCodec.INSTANCE).setAsync(values.get(i).join(), Duration.ofMillis(Math.max(1, ttls.get(i).join())));
		}
		writes.execute();
		return keys.size();
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
