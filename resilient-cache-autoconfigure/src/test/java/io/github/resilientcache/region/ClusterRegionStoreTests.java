package io.github.resilientcache.region;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.test.EmbeddedRedis;
import io.github.resilientcache.test.EmbeddedRedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page operations of a region on a Redis Cluster, whose keys spread over several masters: a
 * pipelined batch of per-key scripts, sent by SHA, which must keep working after a master lost its
 * script cache (a restart or a failover to a replica that never ran them).
 */
class ClusterRegionStoreTests {

	private static final long MAX_TRUSTED = 0x7ffffffffffffff0L;

	private static EmbeddedRedisCluster cluster;

	private static RedissonClient client;

	private static RegionStore store;

	@BeforeAll
	static void start() {
		cluster = EmbeddedRedisCluster.start("east");
		Config config = new Config();
		config.setUseScriptCache(true);
		config.useClusterServers().addNodeAddress(cluster.nodeAddresses().toArray(String[]::new));
		client = Redisson.create(config);
		store = new RegionStore(client, () -> MAX_TRUSTED);
	}

	@AfterAll
	static void stop() {
		client.shutdown(0, 2, TimeUnit.SECONDS);
		cluster.close();
	}

	@Test
	void pagesSpanEveryMasterAndSurviveALostScriptCache() {
		List<String> keys = new ArrayList<>();
		Set<EmbeddedRedis> masters = new HashSet<>();
		for (int i = 0; i < 60; i++) {
			keys.add("rc:accounts::" + i);
			masters.add(cluster.nodeForKey("rc:accounts::" + i));
		}
		assertThat(masters).as("the page spans several masters").hasSizeGreaterThan(1);
		Map<String, RegionStore.RawEntry> page = new LinkedHashMap<>();
		keys.forEach((key) -> page.put(key, new RegionStore.RawEntry(entry(10, key).toBytes(), 60_000)));

		assertThat(join(store.writeAll(page))).isEqualTo(keys.size());
		flushScripts();
		List<RegionStore.RawEntry> read = join(store.getWithTtl(keys));
		for (int i = 0; i < keys.size(); i++) {
			assertThat(read.get(i).bytes()).as(keys.get(i)).isEqualTo(entry(10, keys.get(i)).toBytes());
			assertThat(read.get(i).ttlMillis()).isBetween(1L, 60_000L);
		}
		flushScripts();
		Map<String, RegionStore.RawEntry> older = new LinkedHashMap<>();
		keys.forEach((key) -> older.put(key, new RegionStore.RawEntry(entry(9, key).toBytes(), 0)));
		assertThat(join(store.writeAll(older))).as("an older copy never replaces a newer entry").isZero();
		flushScripts();
		assertThat(join(store.deleteAllUnlessNewer(keys, new Version(10, "west")))).isEqualTo(keys.size());
		assertThat(join(store.getWithTtl(keys))).containsOnlyNulls();
	}

	@Test
	void concurrentCallsSpanningEveryMasterLeaveInBatchesAndEachGetsItsOwnAnswer() {
		List<String> keys = java.util.stream.IntStream.range(0, 300).mapToObj((i) -> "rc:accounts::c" + i).toList();

		ConcurrentEntryCalls.everyCallGetsItsOwnAnswer(store, keys, 20);
		flushScripts();
		ConcurrentEntryCalls.everyCallGetsItsOwnAnswer(store, keys, 30);

		long mgets = cluster.nodes().stream().mapToLong((node) -> ConcurrentEntryCalls.calls((String) node.command("INFO", "commandstats"), "mget")).sum();
		assertThat(mgets).as("reads that found the wire busy left as MGET, split by slot").isPositive();
	}

	private static void flushScripts() {
		cluster.nodes().forEach((node) -> node.command("SCRIPT", "FLUSH"));
	}

	private static StoredEntry entry(long stamp, String key) {
		return StoredEntry.value(new Version(stamp, "west"), key.getBytes(StandardCharsets.UTF_8));
	}

	private static <T> T join(CompletionStage<T> stage) {
		return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
	}

}
