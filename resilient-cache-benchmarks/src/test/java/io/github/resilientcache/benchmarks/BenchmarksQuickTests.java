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
		// The JMH harness (cache-jmh) once, with two managers, in this JVM (no JMH fork); every manager
		// runs below in the interleaved rounds, which give the headline figures.
		List<Contender> jmhContenders = List.of(Contender.STARTER_ONE_REGION, Contender.REDISSON);
		List<CacheBenchmarkRun.Row> rows = CacheBenchmarkRun.run(new CacheBenchmarkRun.Settings(true, 0, 200, List.of("cacheableGetHit"),
				jmhContenders, List.of(1)));
		assertThat(rows).extracting(CacheBenchmarkRun.Row::contender).containsExactlyInAnyOrderElementsOf(jmhContenders);
		assertThat(rows).allSatisfy((row) -> assertThat(row.samples()).isPositive());

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

		FleetBenchmark.Figures fleet = FleetBenchmark.run(true);
		assertThat(List.of(fleet.offGetRatio(), fleet.onGetRatio(), fleet.offPutRatio(), fleet.onPutRatio()))
			.allSatisfy((ratio) -> assertThat(ratio).isPositive().isFinite());

		List<NearCacheBenchmark.Mode> near = NearCacheBenchmark.run(true);
		assertThat(near).hasSize(4).allSatisfy((mode) -> assertThat(mode.nearOver("spring-data-redis")).isPositive().isFinite());

		RecoveryBenchmark.Figures recovery = RecoveryBenchmark.run(2_000);
		assertThat(recovery.resync().peerKeys()).isEqualTo(2_000);
		assertThat(recovery.reconciliation().divergent()).isZero();
	}

	@Test
	void wanBenchmarkRunsInQuickModeAndProducesItsRows() throws Exception {
		WanResult wan = WanBenchmark.run(WanBenchmark.Settings.of(true));
		wan.print();
		assertThat(wan.rows()).hasSize(WanBenchmark.Settings.of(true).setups().size() * WanBenchmark.Op.values().length)
			.allSatisfy((row) -> assertThat(row.samples()).isPositive());
		assertThat(wan.rttMillis()).isPositive();
		assertThat(wan.lags()).extracting(WanResult.Distribution::name)
			.satisfiesExactly((name) -> assertThat(name).startsWith("starter-2-async -> west"),
					(name) -> assertThat(name).startsWith("starter-3-async -> west"), (name) -> assertThat(name).startsWith("starter-3-async -> south"));
		assertThat(wan.lags()).allSatisfy((lag) -> assertThat(lag.samples()).isPositive());
		assertThat(wan.failoverReads()).hasSize(2).allSatisfy((reads) -> assertThat(reads.samples()).isPositive());
	}

	@Test
	void peakBenchmarkRunsInQuickModeAndProducesItsRows(@TempDir Path output) throws Exception {
		PeakResult peak = PeakBenchmark.run(PeakBenchmark.Settings.of(true));
		peak.print();
		assertThat(peak.phases()).hasSize(PeakBenchmark.VARIANTS.size() * PeakBenchmark.Phase.values().length)
			.allSatisfy((row) -> assertThat(row.calls()).isPositive());
		assertThat(peak.timeline()).filteredOn((row) -> row.variant().equals("starter-2-async"))
			.allSatisfy((row) -> assertThat(row.starter()).isNotNull());
		assertThat(peak.regionFigures()).isNotEmpty();
		peak.writeCsv(output.resolve("benchmarks-peak.csv"));
		peak.writeChart(output.resolve("benchmarks-peak.png"));
		assertThat(output.resolve("benchmarks-peak.csv")).isNotEmptyFile();
		assertThat(output.resolve("benchmarks-peak.png")).isNotEmptyFile();
	}

}
