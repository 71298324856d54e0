package io.github.resilientcache.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI runs each benchmark once with tiny iteration counts, so that they keep working: they complete
 * and produce their result rows. Timing is not asserted: figures on a shared CI machine mean nothing.
 */
class BenchmarksQuickTests {

	static {
		// JMH refuses to start while another JMH run holds /tmp/jmh.lock (a benchmark someone runs on
		// the same machine); a quick smoke run measures nothing, so it need not wait for that lock.
		System.setProperty("jmh.ignoreLock", "true");
	}

	@Test
	void everyBenchmarkRunsInQuickModeAndProducesItsRows(@TempDir Path output) throws Exception {
		// The smallest matrix that still exercises every cache manager once, in this JVM (no JMH fork).
		List<CacheBenchmarkRun.Row> rows = CacheBenchmarkRun.run(new CacheBenchmarkRun.Settings(true, 0, 500, List.of("cacheableGetHit"),
				List.of(Contender.values()), List.of(1)));
		assertThat(rows).extracting(CacheBenchmarkRun.Row::contender).containsExactlyInAnyOrder(Contender.values());
		assertThat(rows).allSatisfy((row) -> assertThat(row.samples()).isPositive());
		String tables = CacheBenchmarkRun.tables(rows);
		Arrays.stream(Contender.values()).forEach((contender) -> assertThat(tables).contains("| " + contender.id() + " |"));

		InterleavedCacheBenchmark.Settings interleavedSettings = new InterleavedCacheBenchmark.Settings(true, 1, 100,
				List.of(InterleavedCacheBenchmark.Operation.CACHE_GET_HIT, InterleavedCacheBenchmark.Operation.CACHEABLE_PUT), List.of(Contender.values()),
				List.of(2), Contender.REDISSON);
		InterleavedCacheBenchmark.Result interleaved = InterleavedCacheBenchmark.run(interleavedSettings);
		assertThat(interleaved.cells()).hasSize(Contender.values().length * 2)
			.allSatisfy((cell) -> assertThat(cell.callsPerSecond()).isPositive())
			.allSatisfy((cell) -> assertThat(cell.throughput().median()).isPositive().isFinite());
		String interleavedTables = InterleavedCacheBenchmark.tables(interleaved);
		Arrays.stream(Contender.values()).forEach((contender) -> assertThat(interleavedTables).contains("| " + contender.id() + " |"));

		FailoverResult failover = FailoverBenchmark.run(FailoverBenchmark.Settings.of(true));
		failover.print();
		assertThat(failover.phases()).hasSize(FailoverBenchmark.VARIANTS.size() * FailoverBenchmark.Phase.values().length)
			.allSatisfy((row) -> assertThat(row.calls()).isPositive());
		assertThat(failover.timeline()).isNotEmpty();
		assertThat(failover.starterFigures()).isNotEmpty();
		assertThat(failover.targets()).isNotEmpty();
		failover.writeCsv(output.resolve("benchmarks-failover.csv"));
		failover.writeChart(output.resolve("benchmarks-failover.png"));
		assertThat(output.resolve("benchmarks-failover.csv")).isNotEmptyFile();
		assertThat(output.resolve("benchmarks-failover.png")).isNotEmptyFile();

		ReplayRateBenchmark.Figures replay = ReplayRateBenchmark.run(2_000, 1);
		assertThat(replay.result().copied()).isEqualTo(2_000);
		assertThat(replay.ratio()).isPositive();

		VersionedWriteBenchmark.Figures write = VersionedWriteBenchmark.run(true, 0);
		assertThat(write.ratio()).isPositive();

		EncryptionBenchmark.Figures encryption = EncryptionBenchmark.run(true);
		assertThat(List.of(encryption.encryptedGetRatio(), encryption.encryptedPutRatio(), encryption.protectedGetRatio(),
				encryption.protectedPutRatio())).allSatisfy((ratio) -> assertThat(ratio).isPositive().isFinite());

		List<NearCacheBenchmark.Mode> near = NearCacheBenchmark.run(true);
		assertThat(near).hasSize(4).allSatisfy((mode) -> assertThat(mode.nearOver("spring-data-redis")).isPositive().isFinite());

		RecoveryBenchmark.Figures recovery = RecoveryBenchmark.run(2_000);
		assertThat(recovery.resync().peerKeys()).isEqualTo(2_000);
		assertThat(recovery.reconciliation().divergent()).isZero();
	}

}
