package io.github.resilientcache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.region.Version;
import io.github.resilientcache.test.EmbeddedRedis;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Added latency of a versioned put (the compare-and-set Lua script, one round trip) against a plain
 * {@code SET} with the same payload and time to live, side by side on the same server in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VersionedWriteBenchmark {

	private static final byte[] PAYLOAD = "{\"@class\":\"com.example.Account\",\"id\":\"a\",\"balance\":1234.56,\"blocked\":false}"
		.getBytes(StandardCharsets.UTF_8);

	private EmbeddedRedis server;

	private RedissonClient client;

	private RegionStore store;

	private static final RegionStore.EncodedEntry ENCODED = RegionStore.encode(StoredEntry.Kind.VALUE, PAYLOAD, 600_000);

	private final AtomicLong sequence = new AtomicLong();

	@Setup(Level.Trial)
	public void start() {
		this.server = EmbeddedRedis.start("bench-write");
		this.client = BenchmarkRegions.client(this.server);
		this.store = new RegionStore(this.client, () -> Long.MAX_VALUE);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.client.shutdown();
		this.server.close();
	}

	@Benchmark
	public void plainSet() {
		long n = this.sequence.incrementAndGet();
		RBucket<byte[]> bucket = this.client.getBucket("rc:plain::" + (n & 1023), ByteArrayCodec.INSTANCE);
		bucket.set(PAYLOAD, Duration.ofMinutes(10));
	}

	@Benchmark
	public Object versionedWrite() {
		long n = this.sequence.incrementAndGet();
		// The first region's write, as a put makes it: stamped past whatever the key holds.
		return this.store.writeFirst("rc:versioned::" + (n & 1023), ENCODED, new Version(System.currentTimeMillis() << 16 | (n & 0xFFFF), "east"))
			.toCompletableFuture().join();
	}

	/**
	 * Mean time of each write in one run.
	 * @param plainMicros plain SET, microseconds
	 * @param versionedMicros versioned put, microseconds
	 */
	record Figures(double plainMicros, double versionedMicros) {

		double ratio() {
			return this.versionedMicros / this.plainMicros;
		}

	}

	static Figures run(boolean quick) throws Exception {
		return run(quick, Integer.getInteger("benchmark.forks", 1));
	}

	static Figures run(boolean quick, int forks) throws Exception {
		Options options = new OptionsBuilder().include(VersionedWriteBenchmark.class.getName() + "\\.")
			.forks(forks)
			.warmupIterations(quick ? 1 : 3)
			.warmupTime(TimeValue.seconds(quick ? 1 : 3))
			.measurementIterations(quick ? 1 : 5)
			.measurementTime(TimeValue.seconds(quick ? 1 : 3))
			.threads(1)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		double plain = score(results, "plainSet");
		double versioned = score(results, "versionedWrite");
		System.out.printf("[benchmark] plain SET %.1f us/op, versioned put %.1f us/op: versioned/plain %.2f (+%.1f us)%n", plain, versioned,
				versioned / plain, versioned - plain);
		return new Figures(plain, versioned);
	}

	private static double score(Collection<RunResult> results, String method) {
		return results.stream().filter((r) -> r.getParams().getBenchmark().endsWith("." + method))
			.mapToDouble((r) -> r.getPrimaryResult().getScore()).findFirst().orElseThrow();
	}

}
