package io.github.resilientcache.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheFleetAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheMetricsAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheRecoveryAutoConfiguration;
import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.test.EmbeddedRedis;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.awaitility.Awaitility.await;

/**
 * What the fleet telemetry costs the cache path: get (hit) and put through Spring's {@link Cache} API for the starter without
 * the fleet's auto-configuration (plain), with it and {@code resilient-cache.fleet.enabled=false} (off, the default), and
 * with it on (a snapshot per second to both regions, the fleet read back, the leader's lease, each region's p99 read from
 * the latency timers). All three run in one JVM on the same two Redis servers, with the same Micrometer registry setup (the
 * latency timer with buckets, which the fleet reads), so that the only difference is the fleet.
 * <p>
 * Like {@link EncryptionBenchmark}: variants take turns in short rounds, in an order rotated every round, and each ratio is
 * the median of per-round ratios to plain, with the spread of those ratios, so that a burst of load on the shared machine
 * hits the variants of a round alike. Besides wall time per call it reports the calling thread's CPU time per call, which
 * a loaded machine disturbs much less: the cache path's own cost.
 */
public final class FleetBenchmark implements AutoCloseable {

	private static final int KEYS = 1024;

	/** CPU time of the calling thread: what the cache path itself costs, less disturbed by a loaded machine than wall time. */
	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	static final String[] VARIANTS = { "plain starter", "fleet off", "fleet on" };

	private final EmbeddedRedis east;

	private final EmbeddedRedis west;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final Cache[] caches = new Cache[VARIANTS.length];

	private final String[] keys = new String[KEYS];

	private final Account[] values = new Account[KEYS];

	private long missed;

	private FleetBenchmark() {
		this.east = EmbeddedRedis.start("bench-fleet-east");
		this.west = EmbeddedRedis.start("bench-fleet-west");
		this.contexts.add(start("bench-plain", PlainStarter.class));
		this.contexts.add(start("bench-fleet-off", WithFleet.class));
		this.contexts.add(start("bench-fleet-on", WithFleet.class, "resilient-cache.fleet.enabled=true"));
		for (int v = 0; v < VARIANTS.length; v++) {
			this.caches[v] = this.contexts.get(v).getBean(CacheManager.class).getCache("accounts");
		}
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "account-" + i;
			this.values[i] = Account.of(this.keys[i]);
			for (Cache cache : this.caches) {
				cache.put(this.keys[i], this.values[i]);
			}
		}
		// A write no region took in time on a busy machine is repaired as a delete: write again until every entry reads back.
		await("every entry written before the run to read back").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Arrays.stream(this.caches).allMatch(this::allPresent));
		// The fleet is really on: this instance hears itself before anything is measured.
		FleetTelemetry fleet = this.contexts.get(2).getBean(FleetTelemetry.class);
		await("the fleet's first snapshots").atMost(Duration.ofSeconds(30)).until(() -> fleet.freshInstances() == 1);
	}

	private ConfigurableApplicationContext start(String name, Class<?> configuration, String... extra) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=" + name, "logging.level.root=WARN",
				"resilient-cache.regions.east.address=" + this.east.address(), "resilient-cache.regions.west.address=" + this.west.address(),
				"resilient-cache.local-region=east", "resilient-cache.default-ttl=" + Contender.TTL.toMillis() + "ms",
				"resilient-cache.reconciliation.enabled=false", "resilient-cache.codec.allowed-packages=" + Account.class.getPackageName()));
		properties.addAll(List.of(extra));
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	private boolean allPresent(Cache cache) {
		boolean all = true;
		for (int i = 0; i < KEYS; i++) {
			if (cache.get(this.keys[i]) == null) {
				cache.put(this.keys[i], this.values[i]);
				all = false;
			}
		}
		return all;
	}

	/**
	 * One round of {@code calls} gets (or puts) of one variant, keys in turn.
	 * @return mean nanoseconds per call, wall clock and CPU of the calling thread
	 */
	private double[] round(int variant, boolean put, int calls, int offset) {
		Cache cache = this.caches[variant];
		long misses = 0;
		long cpu = THREADS.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		for (int n = 0; n < calls; n++) {
			int i = (offset + n) & (KEYS - 1);
			if (put) {
				cache.put(this.keys[i], this.values[i]);
			}
			else if (cache.get(this.keys[i]) == null) {
				misses++;
			}
		}
		long elapsed = System.nanoTime() - start;
		cpu = THREADS.getCurrentThreadCpuTime() - cpu;
		this.missed += misses;
		return new double[] { (double) elapsed / calls, (double) cpu / calls };
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.east.close();
		this.west.close();
	}

	/**
	 * Medians over the rounds of one run, and the spread of the per-round ratios to the plain starter.
	 * @param getMicros get (hit) per variant in microseconds: plain, off, on
	 * @param putMicros put per variant
	 * @param getRatios per-round ratio to plain per variant: median, min, max
	 * @param putRatios likewise for puts
	 * @param getCpuRatios per-round ratio to plain of the calling thread's CPU time per get: median, min, max
	 * @param putCpuRatios likewise for puts
	 * @param rounds the rounds measured
	 * @param snapshots snapshots the fleet-on instance published during the run
	 * @param missed gets that missed (a hit was expected)
	 */
	record Figures(double[] getMicros, double[] putMicros, double[][] getRatios, double[][] putRatios, double[][] getCpuRatios,
			double[][] putCpuRatios, int rounds, long snapshots, long missed) {

		double offGetRatio() {
			return this.getRatios[1][0];
		}

		double onGetRatio() {
			return this.getRatios[2][0];
		}

		double offPutRatio() {
			return this.putRatios[1][0];
		}

		double onPutRatio() {
			return this.putRatios[2][0];
		}

	}

	static Figures run(boolean quick) {
		int rounds = quick ? 3 : 60;
		int calls = quick ? 200 : 500;
		try (FleetBenchmark benchmark = new FleetBenchmark()) {
			// Warm-up: every variant's paths compiled before anything is measured.
			for (int w = 0; w < (quick ? 1 : 5); w++) {
				for (int v = 0; v < VARIANTS.length; v++) {
					benchmark.round(v, false, calls, 0);
					benchmark.round(v, true, calls, 0);
				}
			}
			benchmark.missed = 0;
			FleetTelemetry fleet = benchmark.contexts.get(2).getBean(FleetTelemetry.class);
			long publishedBefore = fleet.publishedCount();
			double[][] gets = new double[VARIANTS.length][rounds];
			double[][] puts = new double[VARIANTS.length][rounds];
			double[][] getsCpu = new double[VARIANTS.length][rounds];
			double[][] putsCpu = new double[VARIANTS.length][rounds];
			for (int r = 0; r < rounds; r++) {
				for (int k = 0; k < VARIANTS.length; k++) {
					int v = (r + k) % VARIANTS.length;
					double[] get = benchmark.round(v, false, calls, r * calls);
					double[] put = benchmark.round(v, true, calls, r * calls);
					gets[v][r] = get[0];
					getsCpu[v][r] = get[1];
					puts[v][r] = put[0];
					putsCpu[v][r] = put[1];
				}
			}
			double[] getMicros = new double[VARIANTS.length];
			double[] putMicros = new double[VARIANTS.length];
			double[][] getRatios = new double[VARIANTS.length][];
			double[][] putRatios = new double[VARIANTS.length][];
			double[][] getCpuRatios = new double[VARIANTS.length][];
			double[][] putCpuRatios = new double[VARIANTS.length][];
			for (int v = 0; v < VARIANTS.length; v++) {
				getCpuRatios[v] = ratios(Spread.ofRatios(getsCpu[v], getsCpu[0]));
				putCpuRatios[v] = ratios(Spread.ofRatios(putsCpu[v], putsCpu[0]));
				getMicros[v] = Spread.median(gets[v]) / 1_000;
				putMicros[v] = Spread.median(puts[v]) / 1_000;
				getRatios[v] = ratios(Spread.ofRatios(gets[v], gets[0]));
				putRatios[v] = ratios(Spread.ofRatios(puts[v], puts[0]));
			}
			Figures figures = new Figures(getMicros, putMicros, getRatios, putRatios, getCpuRatios, putCpuRatios, rounds,
					fleet.publishedCount() - publishedBefore, benchmark.missed);
			for (int v = 0; v < VARIANTS.length; v++) {
				System.out.printf("[benchmark] fleet: %-13s get %6.1f us (%.3fx plain, rounds %.2f-%.2f), put %6.1f us (%.3fx plain, rounds %.2f-%.2f)%n",
						VARIANTS[v], getMicros[v], getRatios[v][0], getRatios[v][1], getRatios[v][2], putMicros[v], putRatios[v][0],
						putRatios[v][1], putRatios[v][2]);
				System.out.printf("[benchmark] fleet: %-13s caller CPU: get %.3fx plain (rounds %.2f-%.2f), put %.3fx plain (rounds %.2f-%.2f)%n",
						VARIANTS[v], getCpuRatios[v][0], getCpuRatios[v][1], getCpuRatios[v][2], putCpuRatios[v][0], putCpuRatios[v][1],
						putCpuRatios[v][2]);
			}
			System.out.printf("[benchmark] fleet: medians of %d rounds of %d calls per variant; the fleet-on instance published %d snapshots "
					+ "meanwhile; %d gets missed%n", rounds, calls, figures.snapshots(), figures.missed());
			return figures;
		}
	}

	/**
	 * The starter as users get it, with Micrometer, without the fleet's auto-configuration.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CircuitBreakerAutoConfiguration.class, ResilientCacheAutoConfiguration.class,
			ResilientCacheRecoveryAutoConfiguration.class, ResilientCacheMetricsAutoConfiguration.class })
	@Import(Registry.class)
	static class PlainStarter {

	}

	/**
	 * The same with the fleet's auto-configuration, on or off by its property.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CircuitBreakerAutoConfiguration.class, ResilientCacheAutoConfiguration.class,
			ResilientCacheRecoveryAutoConfiguration.class, ResilientCacheMetricsAutoConfiguration.class,
			ResilientCacheFleetAutoConfiguration.class })
	@Import(Registry.class)
	static class WithFleet {

	}

	/**
	 * One registry per application: the latency timer records every call (with buckets, like
	 * {@code management.metrics.distribution.slo}), the same in every variant.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		MeterRegistry meterRegistry() {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			registry.config().meterFilter(new MeterFilter() {

				@Override
				public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
					if (!id.getName().equals("resilient.cache.latency")) {
						return config;
					}
					double[] buckets = Arrays.stream(new long[] { 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000, 100_000 })
						.mapToDouble((micros) -> micros * 1_000d)
						.toArray();
					return DistributionStatisticConfig.builder().serviceLevelObjectives(buckets).build().merge(config);
				}

			});
			return registry;
		}

	}

	/** Median, min and max of the per-round ratios, as the figures keep them. */
	private static double[] ratios(Spread spread) {
		return new double[] { spread.median(), spread.min(), spread.max() };
	}

}
