package io.github.resilientcache.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.replication.Replicator;
import io.github.resilientcache.test.ChaosProxy;
import io.github.resilientcache.test.EmbeddedRedis;
import io.github.resilientcache.test.RespClient;
import org.awaitility.core.ConditionTimeoutException;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Multi-region as it really is: the remote regions behind a {@link ChaosProxy} that delays every
 * chunk by the WAN delay in each direction (15 ms: a round trip of 30 ms), the local one direct.
 * Get-hit, put and evict through Spring's {@link Cache} API, one caller, in interleaved rounds of the
 * one-region starter (the baseline), two regions async, the same with west direct (the control that
 * tells the WAN's cost from the second region's), two regions at the {@code all} level and three
 * regions async (two remote); then the replication lag (from a put returning until the remote server
 * publishes the key's keyspace event, on a direct connection) and reads after the local region
 * failed (its server stopped). {@code -Dbenchmark.wan.delay-ms} changes the delay.
 */
final class WanBenchmark {

	/** Keys read by the get-hit rounds (at most), written once by every setup while warming up. */
	static final int HIT_KEYS = 200;

	private WanBenchmark() {
	}

	/**
	 * The run's size.
	 * @param delay the WAN delay, each way
	 * @param rounds interleaved rounds
	 * @param ops operations of each kind per setup and round
	 * @param allOps puts and evictions per round at the all level (each a round trip)
	 * @param warmupOps operations of each kind per setup before the first round
	 * @param lagSamples puts timed until the remote regions hold them, per setup
	 * @param failoverReads reads timed after the local region failed, per setup
	 * @param quick whether this is CI's smoke run: a faster prober, so that a region failed by the
	 * busy machine is back within the run, and no control setup
	 */
	record Settings(Duration delay, int rounds, int ops, int allOps, int warmupOps, int lagSamples, int failoverReads, boolean quick) {

		int hitKeys() {
			return Math.min(HIT_KEYS, this.ops);
		}

		List<Setup> setups() {
			return Arrays.stream(Setup.values()).filter((setup) -> !this.quick || setup != Setup.TWO_ASYNC_LAN).toList();
		}

		static Settings of(boolean quick) {
			Duration delay = Duration.ofMillis(Long.getLong("benchmark.wan.delay-ms", 15));
			return quick ? new Settings(delay, 2, 50, 5, 50, 10, 10, true) : new Settings(delay, 8, 500, 60, 1_500, 300, 300, false);
		}

	}

	/** The starters compared, in the order of each round. */
	enum Setup {

		ONE("starter-1", "1 region (baseline)"),

		TWO_ASYNC("starter-2-async", "2 regions, async, west remote"),

		/** The control: the same, with west on the loopback, to tell the WAN's cost from the second region's. */
		TWO_ASYNC_LAN("starter-2-async-lan", "2 regions, async, west direct (no WAN delay)"),

		TWO_ALL("starter-2-all", "2 regions, all (sync), west remote"),

		THREE_ASYNC("starter-3-async", "3 regions, async, west and south remote");

		final String id;

		final String title;

		Setup(String id, String title) {
			this.id = id;
			this.title = title;
		}

	}

	enum Op {

		GET_HIT("get-hit"), PUT("put"), EVICT("evict");

		final String label;

		Op(String label) {
			this.label = label;
		}

	}

	static WanResult run(Settings settings) throws Exception {
		try (EmbeddedRedis east = EmbeddedRedis.start("wan-east"); EmbeddedRedis west = EmbeddedRedis.start("wan-west");
				EmbeddedRedis south = EmbeddedRedis.start("wan-south");
				ChaosProxy westLink = ChaosProxy.start("wan-west", west.port());
				ChaosProxy southLink = ChaosProxy.start("wan-south", south.port())) {
			westLink.latency(settings.delay());
			southLink.latency(settings.delay());
			double rtt = pingMillis(westLink.port()) - pingMillis(west.port());
			Map<Setup, ConfigurableApplicationContext> contexts = new EnumMap<>(Setup.class);
			// Get-hits that missed (which would make the get-hit figures lie), across the run.
			LongAdder misses = new LongAdder();
			// What changed the regions' states, and when: a region failed by the busy machine changes what a round measures.
			List<String> changes = new CopyOnWriteArrayList<>();
			AtomicReference<String> stage = new AtomicReference<>("start");
			try {
				RedisServers wan = new RedisServers(east.address(), westLink.address());
				// One after the other: Spring Boot (re)initializes the logging system at each start, which does not run concurrently.
				String[] probe = settings.quick() ? new String[] { "resilient-cache.probe.interval=300ms", "resilient-cache.probe.jitter=50ms" }
						: new String[0];
				for (Setup setup : settings.setups()) {
					List<String> properties = new ArrayList<>(List.of(probe));
					properties.addAll(starterProperties(switch (setup) {
						case ONE -> List.of();
						case THREE_ASYNC -> List.of("west", "south");
						default -> List.of("west");
					}));
					RedisServers servers = wan;
					Contender contender = Contender.STARTER_TWO_ASYNC;
					switch (setup) {
						case ONE -> contender = Contender.STARTER_ONE_REGION;
						case TWO_ASYNC_LAN -> servers = RedisServers.of(east, west);
						case TWO_ALL -> properties.add("resilient-cache.replication.mode=all");
						case THREE_ASYNC -> properties.add("resilient-cache.regions.south.address=" + southLink.address());
						default -> {
						}
					}
					ConfigurableApplicationContext context = contender.start(servers, Contender.ErrorHandling.DEFAULT, 0, properties.toArray(String[]::new));
					contexts.put(setup, context);
					context.getBean(Regions.class).all().forEach((region) -> region.addStateListener((change) -> changes.add(String.format(Locale.ROOT,
							"%s, during %s: region %s -> %s (%s)", setup.id, stage.get(), region.name(), change.to(), change.reason()))));
				}
				contexts.values().forEach(WanBenchmark::awaitRegionsUp);
				// Warm up every setup (and write the keys the get-hit rounds read) before any round.
				stage.set("warm-up");
				for (Setup setup : settings.setups()) {
					Pacer pacer = new Pacer();
					for (int i = 0; i < settings.hitKeys(); i++) {
						pacer.next();
						cache(contexts.get(setup)).put(hitKey(i), Account.of(hitKey(i)));
					}
					int warmupWrites = (setup == Setup.TWO_ALL) ? Math.max(1, settings.warmupOps() / 10) : settings.warmupOps();
					measure(setup, contexts.get(setup), settings.hitKeys(), settings.warmupOps(), warmupWrites, "warmup", misses);
				}
				contexts.values().forEach(WanBenchmark::awaitRegionsUp);
				Map<Setup, Map<Op, List<long[]>>> rounds = new EnumMap<>(Setup.class);
				for (int round = 0; round < settings.rounds(); round++) {
					stage.set("round " + (round + 1));
					for (Setup setup : settings.setups()) {
						Map<Op, long[]> measured = measure(setup, contexts.get(setup), settings.hitKeys(), settings.ops(),
								(setup == Setup.TWO_ALL) ? settings.allOps() : settings.ops(), "r" + round, misses);
						measured.forEach((op, latencies) -> rounds.computeIfAbsent(setup, (s) -> new EnumMap<>(Op.class))
							.computeIfAbsent(op, (o) -> new ArrayList<>())
							.add(latencies));
					}
				}
				stage.set("replication lag");
				awaitRegionsUp(contexts.get(Setup.TWO_ASYNC));
				awaitRegionsUp(contexts.get(Setup.THREE_ASYNC));
				Map<String, long[]> lags = new LinkedHashMap<>();
				lags.putAll(lag(settings, contexts.get(Setup.TWO_ASYNC), Setup.TWO_ASYNC, Map.of("west", west)));
				lags.putAll(lag(settings, contexts.get(Setup.THREE_ASYNC), Setup.THREE_ASYNC, remotes(west, south)));
				stage.set("failover (local server stopped)");
				Map<Setup, long[]> failover = failover(settings, contexts, east, misses);
				return new WanResult(settings, rtt, rounds, lags, failover, misses.sum(), List.copyOf(changes));
			}
			finally {
				if (!east.isRunning()) {
					east.start();
				}
				contexts.values().forEach(ConfigurableApplicationContext::close);
			}
		}
	}

	/**
	 * Times get-hits, then puts, then evictions. Operations start at most one per millisecond: one
	 * caller back to back would out-write what a region's connection pool can replicate over the
	 * WAN (64 connections / 30 ms = about 2,100 writes/s), journal the excess and open the remote
	 * region's breaker, which is a throughput limit, not the latency measured here.
	 */
	private static Map<Op, long[]> measure(Setup setup, ConfigurableApplicationContext context, int hitKeys, int ops, int writeOps, String tag,
			LongAdder misses) {
		Cache cache = cache(context);
		Pacer pacer = new Pacer();
		Map<Op, long[]> result = new EnumMap<>(Op.class);
		long[] gets = new long[ops];
		for (int i = 0; i < ops; i++) {
			String key = hitKey(i % hitKeys);
			pacer.next();
			long start = System.nanoTime();
			Cache.ValueWrapper value = cache.get(key);
			gets[i] = System.nanoTime() - start;
			if (value == null) {
				misses.increment();
			}
		}
		result.put(Op.GET_HIT, gets);
		long[] puts = new long[writeOps];
		for (int i = 0; i < writeOps; i++) {
			String key = setup.id + "-" + tag + "-" + i;
			Account account = Account.of(key);
			pacer.next();
			long start = System.nanoTime();
			cache.put(key, account);
			puts[i] = System.nanoTime() - start;
		}
		result.put(Op.PUT, puts);
		long[] evicts = new long[writeOps];
		for (int i = 0; i < writeOps; i++) {
			String key = setup.id + "-" + tag + "-" + i;
			pacer.next();
			long start = System.nanoTime();
			cache.evict(key);
			evicts[i] = System.nanoTime() - start;
		}
		result.put(Op.EVICT, evicts);
		// The next setup's round starts with no replication of this one still on the wire.
		Replicator replicator = context.getBean(Replicator.class);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> replicator.inFlight() == 0);
		return result;
	}

	/**
	 * Replication lag: from a put returning until each remote server published the key's keyspace
	 * event, read on a direct connection to it (so the proxy delays the write, not its observation).
	 */
	private static Map<String, long[]> lag(Settings settings, ConfigurableApplicationContext context, Setup setup,
			Map<String, EmbeddedRedis> remotes) {
		Cache cache = cache(context);
		Map<String, Map<String, Long>> seen = new LinkedHashMap<>();
		List<RedissonClient> subscribers = new ArrayList<>();
		try {
			for (Map.Entry<String, EmbeddedRedis> remote : remotes.entrySet()) {
				remote.getValue().command("CONFIG", "SET", "notify-keyspace-events", "KA");
				Map<String, Long> times = new ConcurrentHashMap<>();
				seen.put(remote.getKey(), times);
				RedissonClient subscriber = BenchmarkRegions.client(remote.getValue());
				subscribers.add(subscriber);
				subscriber.getPatternTopic("__keyspace@0__:*" + setup.id + "-lag-*", StringCodec.INSTANCE)
					.addListener(String.class, (pattern, channel, event) -> {
						long now = System.nanoTime();
						String name = channel.toString();
						times.putIfAbsent(name.substring(name.lastIndexOf("::") + 2), now);
					});
			}
			long[] returned = new long[settings.lagSamples()];
			long period = TimeUnit.MILLISECONDS.toNanos(5);
			for (int i = 0; i < returned.length; i++) {
				String key = lagKey(setup, i);
				cache.put(key, Account.of(key));
				returned[i] = System.nanoTime();
				LockSupport.parkNanos(period);
			}
			Map<String, long[]> lags = new LinkedHashMap<>();
			for (Map.Entry<String, Map<String, Long>> remote : seen.entrySet()) {
				Map<String, Long> times = remote.getValue();
				try {
					await().atMost(Duration.ofSeconds(10)).until(() -> times.size() >= returned.length);
				}
				catch (ConditionTimeoutException ex) {
					// A replication that failed went to the journal: it reaches the region at its replay, not within the lag measured here.
				}
				long[] lag = new long[times.size()];
				int seenCount = 0;
				for (int i = 0; i < returned.length; i++) {
					Long at = times.get(lagKey(setup, i));
					if (at != null && seenCount < lag.length) {
						lag[seenCount++] = at - returned[i];
					}
				}
				lag = Arrays.copyOf(lag, seenCount);
				String name = setup.id + " -> " + remote.getKey();
				lags.put((seenCount < returned.length) ? name + " (" + (returned.length - seenCount) + " journaled, not replicated)" : name, lag);
			}
			return lags;
		}
		finally {
			subscribers.forEach(RedissonClient::shutdown);
		}
	}

	/**
	 * Reads once the local region failed: its server stopped, each multi-region setup reads until
	 * its breaker opened, then the timed reads are served by west, one round trip away.
	 */
	private static Map<Setup, long[]> failover(Settings settings, Map<Setup, ConfigurableApplicationContext> contexts, EmbeddedRedis east,
			LongAdder misses) {
		// From a healthy state: every region of every setup UP before the local server stops.
		contexts.values().forEach(WanBenchmark::awaitRegionsUp);
		east.stop();
		Map<Setup, long[]> result = new EnumMap<>(Setup.class);
		for (Setup setup : List.of(Setup.TWO_ASYNC, Setup.THREE_ASYNC)) {
			Cache cache = cache(contexts.get(setup));
			Region local = contexts.get(setup).getBean(Regions.class).local();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				cache.get(hitKey(0));
				return local.state() == RegionState.OPEN;
			});
			long[] reads = new long[settings.failoverReads()];
			boolean diagnosed = false;
			for (int i = 0; i < reads.length; i++) {
				long start = System.nanoTime();
				Cache.ValueWrapper value = cache.get(hitKey(i % settings.hitKeys()));
				reads[i] = System.nanoTime() - start;
				if (value == null) {
					if (!diagnosed) {
						// Why no region served it: its state, or a write of the key it missed (then it serves no read of that key).
						diagnosed = true;
						ConfigurableApplicationContext context = contexts.get(setup);
						String redisKey = context.getBean(KeySpace.class).entryPrefix("accounts") + hitKey(i % settings.hitKeys());
						ReplayJournal journal = context.getBean(ReplayJournal.class);
						System.out.println("[benchmark] a failover read of " + setup.id + " missed; regions: " + context.getBean(Regions.class).all().stream()
							.map((r) -> r.name() + " " + r.state() + ((journal.isPending(r, redisKey)) ? " (missed a write of the key)" : "")).toList());
					}
					misses.increment();
				}
			}
			result.put(setup, reads);
		}
		return result;
	}

	/**
	 * Settings given to every starter of the WAN and peak benchmarks, comma-separated, e.g. to try a
	 * remote region's pool or timeout; {@code {remote}} stands for each remote region of the setup:
	 * {@code -Dbenchmark.starter.properties=resilient-cache.regions.{remote}.timeout=500ms}.
	 * @param remotes the setup's remote regions
	 * @return the properties
	 */
	static List<String> starterProperties(List<String> remotes) {
		String given = System.getProperty("benchmark.starter.properties", "");
		List<String> properties = new ArrayList<>();
		for (String property : given.split(",")) {
			if (property.contains("{remote}")) {
				remotes.forEach((remote) -> properties.add(property.trim().replace("{remote}", remote)));
			}
			else if (!property.isBlank()) {
				properties.add(property.trim());
			}
		}
		return properties;
	}

	/** Starts operations at most one per millisecond. */
	private static final class Pacer {

		private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(1);

		private long next = System.nanoTime();

		void next() {
			long wait = this.next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			this.next = Math.max(this.next + PERIOD, System.nanoTime());
		}

	}

	private static Map<String, EmbeddedRedis> remotes(EmbeddedRedis west, EmbeddedRedis south) {
		Map<String, EmbeddedRedis> remotes = new LinkedHashMap<>();
		remotes.put("west", west);
		remotes.put("south", south);
		return remotes;
	}

	/**
	 * Waits up to a minute for every region of a setup to be UP: a region the busy machine failed
	 * comes back through its probes and replay. One still out after that is named, and the run goes
	 * on (the region state changes printed with the figures say what the rounds measured).
	 */
	private static void awaitRegionsUp(ConfigurableApplicationContext context) {
		Regions regions = context.getBean(Regions.class);
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> regions.all().stream().allMatch((region) -> region.state() == RegionState.UP));
		}
		catch (ConditionTimeoutException ex) {
			System.out.println("[benchmark] not every region UP after 60 s, going on: " + regions.all().stream()
				.map((region) -> region.name() + " " + region.state() + " (" + region.stateReason() + ")").toList());
		}
	}

	/** Median PING round trip on a fresh connection, in milliseconds. */
	private static double pingMillis(int port) {
		try (RespClient client = RespClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
			long[] samples = new long[21];
			for (int i = 0; i < samples.length; i++) {
				long start = System.nanoTime();
				client.command("PING");
				samples[i] = System.nanoTime() - start;
			}
			return FailoverLoad.percentiles(samples)[0];
		}
	}

	private static Cache cache(ConfigurableApplicationContext context) {
		Cache cache = context.getBean(CacheManager.class).getCache("accounts");
		if (cache == null) {
			throw new IllegalStateException("No cache 'accounts'");
		}
		return cache;
	}

	private static String hitKey(int i) {
		return "hit-" + i;
	}

	private static String lagKey(Setup setup, int i) {
		return setup.id + "-lag-" + i;
	}

}
