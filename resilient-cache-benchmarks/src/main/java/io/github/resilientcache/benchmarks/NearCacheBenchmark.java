package io.github.resilientcache.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import io.github.resilientcache.test.EmbeddedRedis;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.SimpleCacheManager;
import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.awaitility.Awaitility.await;

/**
 * Get-hit with the near tier against {@code RedissonSpringCacheManager} and Spring Data Redis, through Spring's {@link Cache}
 * API and through {@code @Cacheable}, at 1 and 8 threads, all in one JVM against the same Redis server.
 * <p>
 * Not JMH, for the reason given in {@link EncryptionBenchmark}: the contenders take turns in short windows (each round:
 * every mode, the contenders of a mode in an order rotated every round), and a ratio is the median over rounds of the
 * per-round ratio, with its min-max, so that a burst of load on the shared machine hits the contenders of a round alike.
 * <p>
 * Two floors show what a hit costs that no cache can save: {@code floor-noop}, Spring's own {@code @Cacheable} proxy in front
 * of a cache that does nothing (every get returns the same wrapper), and {@code floor-map}, the same proxy in front of a
 * cache of one {@code ConcurrentHashMap} lookup. {@code starter-2-near-observed} is the near tier in an application with an
 * observation registry that times every observation (as an application with Actuator has): a near hit must not pay for an
 * observation. Each measured window also records the calling threads' CPU time and allocation (exact, per thread: the
 * figures of the Redis clients' own threads are not in them).
 */
public final class NearCacheBenchmark implements AutoCloseable {

	private static final int KEYS = 1024;

	/** The contenders, the first one the subject of the ratios. */
	static final List<String> CONTENDERS = List.of("starter-2-near", "redisson", "spring-data-redis", "starter-2-near-observed",
			"floor-noop", "floor-map");

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

	private final EmbeddedRedis east;

	private final EmbeddedRedis west;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final Cache[] caches = new Cache[CONTENDERS.size()];

	private final AccountLookup[] services = new AccountLookup[CONTENDERS.size()];

	private final String[] keys = new String[KEYS];

	private final ExecutorService workers = Executors.newFixedThreadPool(8);

	private long misses;

	private NearCacheBenchmark() {
		this.east = EmbeddedRedis.start("bench-near-east");
		this.west = EmbeddedRedis.start("bench-near-west");
		RedisServers servers = RedisServers.of(this.east, this.west);
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "hit-" + i;
		}
		for (int c = 0; c < CONTENDERS.size(); c++) {
			ConfigurableApplicationContext context = start(CONTENDERS.get(c), servers);
			this.contexts.add(context);
			this.caches[c] = context.getBean(CacheManager.class).getCache("accounts");
			this.services[c] = context.getBean(AccountLookup.class);
		}
		// Every entry written through each contender (the starters share their keys), then read back until each one is a
		// hit: a write that outlasted its timeout on the busy machine is written again.
		await("every entry to read back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			boolean all = true;
			for (Cache cache : this.caches) {
				for (String key : this.keys) {
					if (cache.get(key) == null) {
						cache.put(key, Account.of(key));
						all = false;
					}
				}
			}
			return all;
		});
	}

	private static ConfigurableApplicationContext start(String contender, RedisServers servers) {
		return switch (contender) {
			case "starter-2-near" -> Contender.STARTER_NEAR.start(servers, Contender.ErrorHandling.DEFAULT, 0, Duration.ofSeconds(2),
					"spring.application.name=bench-near");
			case "starter-2-near-observed" -> Contender.STARTER_NEAR.start(servers, Contender.ErrorHandling.DEFAULT, 0,
					Duration.ofSeconds(2), new Class<?>[] { ObservedConfiguration.class }, "spring.application.name=bench-near-observed");
			case "redisson" -> Contender.REDISSON.start(servers, Contender.ErrorHandling.DEFAULT, 0, Duration.ofSeconds(2));
			case "spring-data-redis" -> Contender.SPRING_DATA_REDIS.start(servers, Contender.ErrorHandling.DEFAULT, 0, Duration.ofSeconds(2));
			case "floor-noop" -> floor(new NoopCache("accounts"));
			case "floor-map" -> floor(new org.springframework.cache.concurrent.ConcurrentMapCache("accounts"));
			default -> throw new IllegalArgumentException(contender);
		};
	}

	private static ConfigurableApplicationContext floor(Cache cache) {
		return new SpringApplicationBuilder(FloorConfiguration.class, Contender.ServiceConfiguration.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties("benchmark.record-latency-nanos=0", "logging.level.root=WARN")
			.initializers((context) -> context.getBeanFactory().registerSingleton("floorCache", cache))
			.run();
	}

	/**
	 * One measurement window of one contender: {@code threads} threads call for {@code millis} milliseconds.
	 * @return calls per second, caller CPU nanoseconds per call, caller bytes allocated per call
	 */
	private double[] window(int contender, boolean cacheable, int threads, long millis) throws Exception {
		Cache cache = this.caches[contender];
		AccountLookup service = this.services[contender];
		long startAt = System.nanoTime() + 2_000_000;
		long deadline = startAt + millis * 1_000_000;
		List<Future<long[]>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int offset = t * 97;
			Callable<long[]> task = () -> {
				while (System.nanoTime() - startAt < 0) {
					Thread.onSpinWait();
				}
				long cpu = THREADS.getCurrentThreadCpuTime();
				long bytes = THREADS.getCurrentThreadAllocatedBytes();
				long begin = System.nanoTime();
				long calls = 0;
				long missed = 0;
				long now;
				do {
					for (int n = 0; n < 16; n++) {
						String key = this.keys[(int) ((offset + calls++) & (KEYS - 1))];
						Object value = cacheable ? service.find(key) : cache.get(key);
						if (value == null) {
							missed++;
						}
					}
					now = System.nanoTime();
				}
				while (now - deadline < 0);
				return new long[] { calls, now - begin, THREADS.getCurrentThreadCpuTime() - cpu,
						THREADS.getCurrentThreadAllocatedBytes() - bytes, missed };
			};
			results.add(this.workers.submit(task));
		}
		double perSecond = 0;
		long calls = 0;
		long cpu = 0;
		long bytes = 0;
		for (Future<long[]> result : results) {
			long[] r = result.get();
			perSecond += r[0] * 1e9 / r[1];
			calls += r[0];
			cpu += r[2];
			bytes += r[3];
			this.misses += r[4];
		}
		return new double[] { perSecond, (double) cpu / calls, (double) bytes / calls };
	}

	@Override
	public void close() {
		this.workers.shutdownNow();
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.east.close();
		this.west.close();
	}

	/**
	 * The figures of one mode (API and thread count).
	 * @param mode e.g. "@Cacheable, 1 thread"
	 * @param perSecond median calls/s per contender
	 * @param cpuNanos median caller CPU ns per call per contender
	 * @param bytes median caller bytes allocated per call per contender
	 * @param ratios per contender: median, min and max of the per-round ratio of the first contender's throughput to its own
	 */
	record Mode(String mode, double[] perSecond, double[] cpuNanos, double[] bytes, double[][] ratios) {

		/**
		 * The near tier's throughput over a contender's, median of the rounds.
		 * @param contender the contender's id
		 * @return the ratio
		 */
		double nearOver(String contender) {
			return this.ratios[CONTENDERS.indexOf(contender)][0];
		}

	}

	/**
	 * Runs the benchmark.
	 * @param quick a smoke run: 2 short rounds
	 * @return the figures of each mode
	 */
	static List<Mode> run(boolean quick) throws Exception {
		int rounds = quick ? 2 : Integer.getInteger("benchmark.near.rounds", 15);
		long millis = quick ? 50 : Long.getLong("benchmark.near.window-ms", 300);
		int[] threadCounts = { 1, 8 };
		boolean[] apis = { false, true };
		int size = CONTENDERS.size();
		double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		try (NearCacheBenchmark benchmark = new NearCacheBenchmark()) {
			String profiled = System.getProperty("benchmark.near.profile", "");
			if (!profiled.isEmpty()) {
				profile(benchmark, CONTENDERS.indexOf(profiled));
				return List.of();
			}
			// Warm-up: every path of every contender compiled before anything is measured.
			for (int w = 0; w < (quick ? 1 : 3); w++) {
				for (boolean cacheable : apis) {
					for (int threads : threadCounts) {
						for (int c = 0; c < size; c++) {
							benchmark.window(c, cacheable, threads, quick ? 50 : 500);
						}
					}
				}
			}
			benchmark.misses = 0;
			double[][][][] samples = new double[2][2][size][];
			for (int a = 0; a < 2; a++) {
				for (int t = 0; t < 2; t++) {
					for (int c = 0; c < size; c++) {
						samples[a][t][c] = new double[rounds * 3];
					}
				}
			}
			for (int r = 0; r < rounds; r++) {
				for (int a = 0; a < 2; a++) {
					for (int t = 0; t < 2; t++) {
						for (int k = 0; k < size; k++) {
							int c = (r + k) % size;
							double[] figures = benchmark.window(c, apis[a], threadCounts[t], millis);
							for (int f = 0; f < 3; f++) {
								samples[a][t][c][f * rounds + r] = figures[f];
							}
						}
					}
				}
			}
			List<Mode> modes = new ArrayList<>();
			for (int a = 0; a < 2; a++) {
				for (int t = 0; t < 2; t++) {
					double[] perSecond = new double[size];
					double[] cpu = new double[size];
					double[] bytes = new double[size];
					double[][] ratios = new double[size][];
					double[] near = Arrays.copyOfRange(samples[a][t][0], 0, rounds);
					for (int c = 0; c < size; c++) {
						double[] own = Arrays.copyOfRange(samples[a][t][c], 0, rounds);
						perSecond[c] = Spread.median(own);
						cpu[c] = Spread.median(Arrays.copyOfRange(samples[a][t][c], rounds, 2 * rounds));
						bytes[c] = Spread.median(Arrays.copyOfRange(samples[a][t][c], 2 * rounds, 3 * rounds));
						double[] perRound = new double[rounds];
						for (int r = 0; r < rounds; r++) {
							perRound[r] = near[r] / own[r];
						}
						Spread spread = Spread.of(perRound);
						ratios[c] = new double[] { spread.median(), spread.min(), spread.max() };
					}
					modes.add(new Mode((apis[a] ? "@Cacheable" : "Cache API") + ", " + threadCounts[t] + " thread" + (threadCounts[t] > 1 ? "s" : ""),
							perSecond, cpu, bytes, ratios));
				}
			}
			print(modes, rounds, millis, load, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), benchmark.misses);
			return modes;
		}
	}

	/**
	 * Profiles {@code @Cacheable} hits of one contender on one thread with Java Flight Recorder (execution samples every
	 * 10 ms): 10 s of warm-up, then 20 s recorded into {@code target/near-<contender>.jfr}. Read it with e.g.
	 * {@code jfr print --events jdk.ExecutionSample}.
	 */
	private static void profile(NearCacheBenchmark benchmark, int contender) throws Exception {
		benchmark.window(contender, true, 1, 10_000);
		try (jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
			recording.start();
			double[] figures = benchmark.window(contender, true, 1, 20_000);
			recording.stop();
			java.nio.file.Path file = java.nio.file.Path.of("target", "near-" + CONTENDERS.get(contender) + ".jfr");
			java.nio.file.Files.createDirectories(file.getParent());
			recording.dump(file);
			System.out.printf(Locale.ROOT, "[benchmark] near: profiled %s: %,.0f calls/s, %,.0f CPU ns/call, %,.0f B/call; recording in %s%n",
					CONTENDERS.get(contender), figures[0], figures[1], figures[2], file.toAbsolutePath());
		}
	}

	private static void print(List<Mode> modes, int rounds, long millis, double loadBefore, double loadAfter, long misses) {
		System.out.println();
		System.out.println("| get-hit | contender | calls/s | starter-2-near's throughput / its own (median, min-max) | caller CPU ns/call | caller B/call |");
		System.out.println("|---|---|---|---|---|---|");
		for (Mode mode : modes) {
			for (int c = 0; c < CONTENDERS.size(); c++) {
				System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | %,.0f | %,.0f |%n", mode.mode(), CONTENDERS.get(c), mode.perSecond()[c],
						(c == 0) ? "1" : String.format(Locale.ROOT, "**%.1f** (%.1f-%.1f)", mode.ratios()[c][0], mode.ratios()[c][1], mode.ratios()[c][2]),
						mode.cpuNanos()[c], mode.bytes()[c]);
			}
		}
		System.out.printf(Locale.ROOT, "[benchmark] near: medians of %d interleaved rounds of %d ms per contender and mode; load average %.1f before, %.1f after on %d cores; %d gets missed%n",
				rounds, millis, loadBefore, loadAfter, Runtime.getRuntime().availableProcessors(), misses);
	}

	/** Spring's caching with one cache, the {@code floorCache} singleton. */
	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class FloorConfiguration {

		@Bean
		CacheManager cacheManager(org.springframework.beans.factory.BeanFactory beanFactory) {
			SimpleCacheManager manager = new SimpleCacheManager();
			manager.setCaches(List.of(beanFactory.getBean("floorCache", Cache.class)));
			return manager;
		}

	}

	/** An observation registry that times every observation, as Actuator's does. */
	@Configuration(proxyBeanMethods = false)
	static class ObservedConfiguration {

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
			return registry;
		}

	}

	/** A cache that does nothing: every get is a hit on the same value. */
	static final class NoopCache extends AbstractValueAdaptingCache {

		private final String name;

		private final Account value = Account.of("noop");

		private final ValueWrapper wrapper = new SimpleValueWrapper(this.value);

		NoopCache(String name) {
			super(false);
			this.name = name;
		}

		@Override
		public ValueWrapper get(Object key) {
			return this.wrapper;
		}

		@Override
		protected @Nullable Object lookup(Object key) {
			return this.value;
		}

		@Override
		public String getName() {
			return this.name;
		}

		@Override
		public Object getNativeCache() {
			return this;
		}

		@SuppressWarnings("unchecked")
		@Override
		public <T> T get(Object key, Callable<T> valueLoader) {
			return (T) this.value;
		}

		@Override
		public @Nullable CompletableFuture<?> retrieve(Object key) {
			return CompletableFuture.completedFuture(this.value);
		}

		@SuppressWarnings("unchecked")
		@Override
		public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
			return CompletableFuture.completedFuture((T) this.value);
		}

		@Override
		public void put(Object key, @Nullable Object value) {
		}

		@Override
		public void evict(Object key) {
		}

		@Override
		public void clear() {
		}

	}

}
