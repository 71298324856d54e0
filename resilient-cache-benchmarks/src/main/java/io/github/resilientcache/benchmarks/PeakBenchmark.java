package io.github.resilientcache.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.Replicator;
import io.github.resilientcache.test.ChaosProxy;
import io.github.resilientcache.test.EmbeddedRedis;

import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * A load peak: a step from 1x to 10x the request rate through a {@code @Cacheable} service (90%
 * reads of {@value #ACCOUNTS} accounts, 10% {@code @CachePut}), held for 30 s between a 1x lead-in
 * and tail; for the starter with two regions async (west behind the WAN proxy, 15 ms each way) and
 * for the plain managers, one after the other on the same servers. Per second: p99, errors and calls
 * served; for the starter also its replications in flight, its journal depth and its regions' states.
 */
final class PeakBenchmark {

	/** Distinct accounts read and written. */
	static final int ACCOUNTS = 2_000;

	/** Share of the closed-loop capacity that the 10x step is set to when no rate is given. */
	static final double PEAK_SHARE_OF_CAPACITY = 0.7;

	private PeakBenchmark() {
	}

	/**
	 * The timeline.
	 * @param baseRate the 1x rate, calls per second; 0 to derive it from a capacity measurement
	 * @param multiplier the step
	 * @param leadSeconds seconds at 1x before the step
	 * @param peakSeconds seconds at the step's rate
	 * @param tailSeconds seconds at 1x after it
	 * @param warmupCalls calls made to each variant before anything is measured
	 * @param capacitySeconds length of the closed-loop capacity measurement of each variant
	 * @param wanDelay delay, each way, of the starter's remote region
	 */
	record Settings(int baseRate, int multiplier, int leadSeconds, int peakSeconds, int tailSeconds, int warmupCalls, int capacitySeconds,
			Duration wanDelay) {

		static Settings of(boolean quick) {
			int given = Integer.getInteger("benchmark.peak.rate", 0);
			int rate = (given > 0) ? given : (quick ? 40 : 0);
			Duration delay = Duration.ofMillis(Long.getLong("benchmark.wan.delay-ms", 15));
			return quick ? new Settings(rate, 10, 1, 1, 1, 200, 0, delay) : new Settings(rate, 10, 10, 30, 10, 10_000, 3, delay);
		}

		int seconds() {
			return this.leadSeconds + this.peakSeconds + this.tailSeconds;
		}

		Phase phaseAt(int second) {
			return (second < this.leadSeconds) ? Phase.LEAD_IN : (second < this.leadSeconds + this.peakSeconds) ? Phase.PEAK : Phase.TAIL;
		}

	}

	enum Phase {

		LEAD_IN("1x lead-in"), PEAK("10x peak"), TAIL("1x tail");

		final String label;

		Phase(String label) {
			this.label = label;
		}

	}

	/**
	 * One service under test.
	 * @param name its name in tables, CSV and chart
	 * @param contender its cache manager
	 */
	record Variant(String name, Contender contender) {

	}

	static final List<Variant> VARIANTS = List.of(new Variant("starter-2-async", Contender.STARTER_TWO_ASYNC),
			new Variant("redisson", Contender.REDISSON), new Variant("spring-data-redis", Contender.SPRING_DATA_REDIS));

	/**
	 * One second of the starter's replication and regions, sampled every 50 ms.
	 * @param inFlight most background replications in flight
	 * @param journalDepth deepest journal of the remote region
	 * @param journalRecorded writes journaled for the remote region in that second
	 * @param states the states the regions were seen in, e.g. {@code east UP, west UP}
	 * @param failureRate highest failure rate any region's breaker reported, percent (-1 before it had enough calls)
	 * @param slowCallRate highest slow-call rate, percent
	 */
	record StarterSecond(int inFlight, long journalDepth, long journalRecorded, String states, float failureRate, float slowCallRate) {

	}

	/**
	 * A state change of one of the starter's regions during the timeline.
	 * @param atMillis when, from the start of the load
	 * @param region the region
	 * @param to its new state
	 * @param reason why (for a breaker, the rates it saw)
	 * @param failureThreshold the breaker's failure-rate threshold, percent
	 * @param slowThreshold the breaker's slow-call-rate threshold, percent
	 */
	record Change(long atMillis, String region, RegionState to, String reason, float failureThreshold, float slowThreshold) {

	}

	static PeakResult run(Settings settings) throws Exception {
		try (EmbeddedRedis east = EmbeddedRedis.start("peak-east"); EmbeddedRedis west = EmbeddedRedis.start("peak-west");
				ChaosProxy westLink = ChaosProxy.start("peak-west", west.port())) {
			westLink.latency(settings.wanDelay());
			RedisServers servers = new RedisServers(east.address(), westLink.address());
			List<ConfigurableApplicationContext> contexts = new ArrayList<>();
			try {
				for (Variant variant : VARIANTS) {
					contexts.add(variant.contender().start(servers, Contender.ErrorHandling.DEFAULT, AccountLookup.millis(1),
							variant.contender().isStarter() ? WanBenchmark.starterProperties(List.of("west")).toArray(String[]::new) : new String[0]));
				}
				for (int i = 0; i < VARIANTS.size(); i++) {
					ConfigurableApplicationContext context = contexts.get(i);
					if (VARIANTS.get(i).contender().isStarter()) {
						Regions regions = context.getBean(Regions.class);
						await().atMost(Duration.ofSeconds(30)).until(() -> regions.all().stream().allMatch((r) -> r.state() == RegionState.UP));
					}
					warmUp(call(context.getBean(AccountLookup.class)), settings.warmupCalls());
				}
				List<Double> capacities = new ArrayList<>();
				int baseRate = settings.baseRate();
				if (baseRate <= 0) {
					for (ConfigurableApplicationContext context : contexts) {
						capacities.add(capacity(call(context.getBean(AccountLookup.class)), settings.capacitySeconds()));
					}
					double slowest = capacities.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
					baseRate = Math.max(10, (int) (slowest * PEAK_SHARE_OF_CAPACITY / settings.multiplier() / 10) * 10);
				}
				List<PeakResult.Timeline> timelines = new ArrayList<>();
				for (int i = 0; i < VARIANTS.size(); i++) {
					timelines.add(timeline(settings, baseRate, VARIANTS.get(i), contexts.get(i)));
				}
				return new PeakResult(settings, baseRate, capacities, timelines);
			}
			finally {
				contexts.forEach(ConfigurableApplicationContext::close);
			}
		}
	}

	private static FailoverLoad.Call call(AccountLookup service) {
		return (n) -> {
			if (n % 10 == 0) {
				service.update("account-" + ((n / 10 * 7919) % ACCOUNTS));
			}
			else {
				service.find("account-" + ((n * 7919) % ACCOUNTS));
			}
		};
	}

	/** Warms up a service: a plain manager throws the command timeouts a busy machine causes, which do not stop the warm-up. */
	private static void warmUp(FailoverLoad.Call call, int calls) {
		for (long n = 0; n < calls; n++) {
			try {
				call.run(n);
			}
			catch (Exception ex) {
				// Counted by the timeline, not here.
			}
		}
	}

	/** Calls per second that 8 callers complete back to back (a closed loop): what the machine sustains. */
	private static double capacity(FailoverLoad.Call call, int seconds) throws InterruptedException {
		LongAdder calls = new LongAdder();
		AtomicBoolean running = new AtomicBoolean(true);
		CountDownLatch done = new CountDownLatch(8);
		for (int t = 0; t < 8; t++) {
			long offset = t * 1_000_003L;
			Thread thread = new Thread(() -> {
				for (long n = offset; running.get(); n++) {
					try {
						call.run(n);
						calls.increment();
					}
					catch (Exception ex) {
						// A call the busy machine failed (a plain manager throws a command timeout) is not served.
					}
				}
				done.countDown();
			}, "peak-capacity-" + t);
			thread.setDaemon(true);
			thread.start();
		}
		long start = System.nanoTime();
		Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
		running.set(false);
		double perSecond = calls.sum() * 1e9 / (System.nanoTime() - start);
		done.await(10, TimeUnit.SECONDS);
		return perSecond;
	}

	private static PeakResult.Timeline timeline(Settings settings, int baseRate, Variant variant, ConfigurableApplicationContext context)
			throws InterruptedException {
		FailoverLoad.Target target = FailoverLoad.Target.of(variant.name(), call(context.getBean(AccountLookup.class)), settings.seconds());
		PeakLoad load = new PeakLoad(target, (second) -> (settings.phaseAt(second) == Phase.PEAK) ? baseRate * settings.multiplier() : baseRate,
				settings.seconds());
		StarterMonitor monitor = variant.contender().isStarter() ? new StarterMonitor(context, settings.seconds()) : null;
		Thread pacer = load.start();
		if (monitor != null) {
			monitor.start(load.startNanos());
		}
		pacer.join();
		target.pool().shutdown();
		target.pool().awaitTermination(30, TimeUnit.SECONDS);
		if (monitor != null) {
			monitor.stop();
		}
		long[] offered = new long[settings.seconds()];
		for (int second = 0; second < offered.length; second++) {
			offered[second] = load.offered(second);
		}
		return new PeakResult.Timeline(variant.name(), target, offered, (monitor != null) ? monitor.seconds : null,
				(monitor != null) ? List.copyOf(monitor.changes) : List.of());
	}

	/** Samples the starter's replication, journal and breakers every 50 ms, and records its regions' state changes. */
	private static final class StarterMonitor {

		private final Regions regions;

		private final Replicator replicator;

		private final StarterSecond[] seconds;

		private final List<Change> changes = new CopyOnWriteArrayList<>();

		private volatile boolean running = true;

		private Thread thread;

		StarterMonitor(ConfigurableApplicationContext context, int seconds) {
			this.regions = context.getBean(Regions.class);
			this.replicator = context.getBean(Replicator.class);
			this.seconds = new StarterSecond[seconds];
		}

		void start(long startNanos) {
			for (Region region : this.regions.all()) {
				CircuitBreakerConfig config = region.circuitBreaker().getCircuitBreakerConfig();
				region.addStateListener((change) -> this.changes.add(new Change(FailoverBenchmark.millisSince(startNanos), region.name(), change.to(),
						change.reason(), config.getFailureRateThreshold(), config.getSlowCallRateThreshold())));
			}
			this.thread = new Thread(() -> sample(startNanos), "peak-monitor");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void sample(long startNanos) {
			Region remote = this.regions.all().get(1);
			long recordedBefore = this.replicator.journal().recorded(remote);
			int second = 0;
			int inFlight = 0;
			long depth = 0;
			float failureRate = -1;
			float slowRate = -1;
			StringBuilder states = new StringBuilder();
			while (this.running && second < this.seconds.length) {
				inFlight = Math.max(inFlight, this.replicator.inFlight());
				depth = Math.max(depth, this.replicator.journal().depth(remote));
				for (Region region : this.regions.all()) {
					CircuitBreaker.Metrics metrics = region.circuitBreaker().getMetrics();
					failureRate = Math.max(failureRate, metrics.getFailureRate());
					slowRate = Math.max(slowRate, metrics.getSlowCallRate());
					String state = region.name() + " " + region.state();
					if (states.indexOf(state) < 0) {
						states.append((states.length() > 0) ? ", " : "").append(state);
					}
				}
				long now = System.nanoTime();
				if (now - startNanos >= (second + 1) * 1_000_000_000L) {
					long recorded = this.replicator.journal().recorded(remote);
					this.seconds[second++] = new StarterSecond(inFlight, depth, recorded - recordedBefore, states.toString(), failureRate, slowRate);
					recordedBefore = recorded;
					inFlight = 0;
					depth = 0;
					failureRate = -1;
					slowRate = -1;
					states.setLength(0);
				}
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		/** Waits for the sample of the timeline's last second, then stops. */
		void stop() throws InterruptedException {
			this.thread.join(5_000);
			this.running = false;
			this.thread.join(1_000);
		}

	}

}
