package io.github.resilientcache.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.resilientcache.cache.CacheStatistics;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.recovery.ReplayResult;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.EmbeddedRedis;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * What resilience buys when a region fails: a fixed-rate load through a {@code @Cacheable} service
 * while the local region's Redis is stopped, restarted (empty), hung (SIGSTOP) and resumed; for the
 * starter with two regions and, under the very same faults at the same time, for the plain cache
 * managers on the local region only, with Spring's default {@code CacheErrorHandler} (what users get
 * out of the box: cache failures are thrown) and with the {@code LoggingCacheErrorHandler}.
 */
final class FailoverBenchmark {

	private FailoverBenchmark() {
	}

	/**
	 * The timeline.
	 * @param rate calls per second to each variant (90% reads, 10% {@code @CachePut})
	 * @param phaseSeconds length of each phase, in {@link Phase} order
	 * @param extraStarterProperties properties of the starter beyond its defaults
	 * @param warmupCalls calls made to each variant before the timeline starts
	 * @param isolated whether each variant runs its own timeline (on the same servers), so that
	 * the failing calls of one do not take CPU from another; else all run at once, sharing the faults
	 */
	record Settings(int rate, int[] phaseSeconds, List<String> extraStarterProperties, int warmupCalls, boolean isolated) {

		static Settings of(boolean quick) {
			if (quick) {
				// Short enough for CI: all variants in one timeline, and a faster prober so that failback fits in it.
				return new Settings(500, new int[] { 2, 3, 3, 3, 3 }, List.of("resilient-cache.probe.interval=300ms",
						"resilient-cache.probe.jitter=50ms"), 1_000, false);
			}
			return new Settings(500, new int[] { 10, 15, 10, 15, 10 }, List.of(), 5_000, true);
		}

		int seconds() {
			int total = 0;
			for (int s : this.phaseSeconds) {
				total += s;
			}
			return total;
		}

		Phase phaseAt(int second) {
			int end = 0;
			for (Phase phase : Phase.values()) {
				end += this.phaseSeconds[phase.ordinal()];
				if (second < end) {
					return phase;
				}
			}
			return Phase.RESUMED;
		}

	}

	enum Phase {

		HEALTHY("healthy"), STOPPED("local stopped"), RESTARTED("restarted"), HUNG("local hung"), RESUMED("resumed");

		final String label;

		Phase(String label) {
			this.label = label;
		}

	}

	/**
	 * One service under test.
	 * @param name its name in tables, CSV and chart
	 * @param contender its cache manager
	 * @param errors its error handler (the plain managers only)
	 */
	record Variant(String name, Contender contender, Contender.ErrorHandling errors) {

	}

	static final List<Variant> VARIANTS = List.of(new Variant("starter-2-async", Contender.STARTER_TWO_ASYNC, Contender.ErrorHandling.DEFAULT),
			new Variant("redisson", Contender.REDISSON, Contender.ErrorHandling.DEFAULT),
			new Variant("redisson+logging-handler", Contender.REDISSON, Contender.ErrorHandling.LOGGING),
			new Variant("spring-data-redis", Contender.SPRING_DATA_REDIS, Contender.ErrorHandling.DEFAULT),
			new Variant("spring-data-redis+logging-handler", Contender.SPRING_DATA_REDIS, Contender.ErrorHandling.LOGGING));

	/** Distinct accounts read and written. */
	static final int ACCOUNTS = 200;

	/**
	 * What happened to the starter's local region, in milliseconds from the start of the load.
	 * @param faultAt when each fault took effect (stop, restart, pause, resume)
	 * @param changes the region's state changes
	 * @param failoverServedAt first read served by another region after each fault, -1 if none
	 * @param replays the replays that brought the region back
	 */
	record StarterEvents(long[] faultAt, List<Change> changes, long[] failoverServedAt, List<ReplayResult> replays) {

	}

	/**
	 * One state change of the starter's local region.
	 * @param atMillis when, from the start of the load
	 * @param to the new state
	 * @param reason why
	 */
	record Change(long atMillis, RegionState to, String reason) {

	}

	/**
	 * Runs the timeline.
	 * @param settings the timeline
	 * @return the result
	 */
	static FailoverResult run(Settings settings) throws Exception {
		try (EmbeddedRedis east = EmbeddedRedis.start("failover-east"); EmbeddedRedis west = EmbeddedRedis.start("failover-west")) {
			RedisServers servers = RedisServers.of(east, west);
			if (!settings.isolated()) {
				return timeline(settings, servers, east, VARIANTS);
			}
			// One timeline per variant, on the same servers: no variant pays for another's failing calls.
			List<FailoverResult> results = new ArrayList<>();
			for (Variant variant : VARIANTS) {
				east.start();
				servers.flushAll();
				results.add(timeline(settings, servers, east, List.of(variant)));
			}
			return FailoverResult.merge(results);
		}
	}

	private static FailoverResult timeline(Settings settings, RedisServers servers, EmbeddedRedis east, List<Variant> variants) throws Exception {
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		try {
			List<FailoverLoad.Target> targets = new ArrayList<>();
			for (Variant variant : variants) {
				ConfigurableApplicationContext context = variant.contender().start(servers, variant.errors(), AccountLookup.millis(1),
						variant.contender().isStarter() ? settings.extraStarterProperties().toArray(String[]::new) : new String[0]);
				contexts.add(context);
				AccountLookup service = context.getBean(AccountLookup.class);
				FailoverLoad.Call call = (n) -> {
					if (n % 10 == 0) {
						service.update("account-" + ((n / 10 * 7919) % ACCOUNTS));
					}
					else {
						service.find("account-" + ((n * 7919) % ACCOUNTS));
					}
				};
				// Warm up: the timeline measures a running service, not class loading and JIT compilation. A
				// plain manager throws the command timeouts of a starved machine; they must not end the run.
				for (long n = 0; n < settings.warmupCalls(); n++) {
					try {
						call.run(n);
					}
					catch (Exception ex) {
						// Not measured: the timeline counts errors, the warm-up does not.
					}
				}
				targets.add(FailoverLoad.Target.of(variant.name(), call, settings.seconds()));
			}
			ConfigurableApplicationContext starter = contexts.stream().filter((c) -> c.getBeanNamesForType(Regions.class).length > 0)
				.findFirst().orElse(null);
			Region local = (starter != null) ? starter.getBean(Regions.class).get("east") : null;
			CacheStatistics statistics = (starter != null) ? ((MultiRegionCacheManager) starter.getBean(org.springframework.cache.CacheManager.class))
				.getStatistics("accounts") : null;
			RegionRecovery recovery = (starter != null) ? starter.getBean(RegionRecovery.class) : null;

			FailoverLoad load = new FailoverLoad(targets, settings.rate(), settings.seconds());
			List<Change> changes = new CopyOnWriteArrayList<>();
			List<ReplayResult> replays = new CopyOnWriteArrayList<>();
			Thread pacer = load.start();
			long start = load.startNanos();
			if (local != null) {
				local.addStateListener((change) -> {
					changes.add(new Change(millisSince(start), change.to(), change.reason()));
					if (change.to() == RegionState.UP) {
						ReplayResult result = recovery.lastResult("east");
						if (result != null) {
							replays.add(result);
						}
					}
				});
			}
			long[] faultAt = new long[4];
			long[] failoverServedAt = { -1, -1, -1, -1 };
			FailoverMonitor monitor = new FailoverMonitor(statistics, start, failoverServedAt);
			monitor.start();
			int[] phases = settings.phaseSeconds();
			sleepUntil(start, phases[0]);
			// Faults are timed from the moment they are injected, restorations from when the server answers again.
			faultAt[0] = monitor.fault(0);
			east.stop();
			sleepUntil(start, phases[0] + phases[1]);
			east.start();
			faultAt[1] = monitor.fault(1);
			sleepUntil(start, phases[0] + phases[1] + phases[2]);
			faultAt[2] = monitor.fault(2);
			east.pause();
			sleepUntil(start, phases[0] + phases[1] + phases[2] + phases[3]);
			east.resume();
			faultAt[3] = monitor.fault(3);
			pacer.join();
			load.finish();
			monitor.stopMonitor();
			StarterEvents events = (local != null) ? new StarterEvents(faultAt, List.copyOf(changes), failoverServedAt, List.copyOf(replays)) : null;
			return new FailoverResult(settings, variants, targets, events, Duration.ofMillis(200),
					(local != null) ? local.circuitBreaker().getCircuitBreakerConfig().getSlidingWindowSize() : 0);
		}
		finally {
			east.resume();
			contexts.forEach(ConfigurableApplicationContext::close);
		}
	}

	static long millisSince(long startNanos) {
		return (System.nanoTime() - startNanos) / 1_000_000;
	}

	private static void sleepUntil(long startNanos, int second) throws InterruptedException {
		long wait = startNanos + second * 1_000_000_000L - System.nanoTime();
		if (wait > 0) {
			Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
		}
	}

	/**
	 * Polls the starter's failover counter, to time the first read another region served after
	 * each fault (to within the 2 ms poll).
	 */
	private static final class FailoverMonitor extends Thread {

		private final @Nullable CacheStatistics statistics;

		private final long start;

		private final long[] servedAt;

		private volatile int fault = -1;

		private volatile long failoversAtFault;

		private volatile boolean running = true;

		FailoverMonitor(@Nullable CacheStatistics statistics, long start, long[] servedAt) {
			super("failover-monitor");
			setDaemon(true);
			this.statistics = statistics;
			this.start = start;
			this.servedAt = servedAt;
		}

		long fault(int index) {
			this.failoversAtFault = (this.statistics != null) ? this.statistics.failovers() : 0;
			this.fault = index;
			return millisSince(this.start);
		}

		@Override
		public void run() {
			while (this.running) {
				int current = this.fault;
				if (this.statistics != null && current >= 0 && this.servedAt[current] < 0 && this.statistics.failovers() > this.failoversAtFault) {
					this.servedAt[current] = millisSince(this.start);
				}
				try {
					Thread.sleep(2);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void stopMonitor() {
			this.running = false;
		}

	}

}
