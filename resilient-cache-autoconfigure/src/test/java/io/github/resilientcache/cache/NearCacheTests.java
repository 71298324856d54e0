package io.github.resilientcache.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.test.ChaosProxy;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.TestApplications;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The near tier across two application instances of real regions: instance A writes, instance B
 * reads through its near tier. B never serves what an invalidation it processed replaced, stops
 * serving at once when its channel goes silent, never serves an entry older than max-staleness
 * (whatever is lost), and a read that fetched before an invalidation never fills the old value.
 */
class NearCacheTests {

	private static final Duration MAX_STALENESS = Duration.ofSeconds(2);

	private static final Duration HEARTBEAT = Duration.ofMillis(100);

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	private static ApplicationContextRunner instance(String eastAddress, boolean near) {
		return TestApplications.runner(regions, "east")
			.withPropertyValues("resilient-cache.regions.east.address=" + eastAddress, "resilient-cache.caches.rates.near-cache.enabled=" + near,
					"resilient-cache.caches.fx.near-cache.enabled=" + near,
					"resilient-cache.near-cache.max-staleness=" + MAX_STALENESS.toMillis() + "ms",
					"resilient-cache.near-cache.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms")
			.withBean(ValueCodec.class, GatedCodec::new);
	}

	private static ApplicationContextRunner instance(boolean near) {
		return instance(regions.proxy("east").address(), near);
	}

	@Test
	void noReadIsStaleOnceTheInvalidationWasReceived() {
		instance(true).run((a) -> instance(true).run((b) -> {
			Cache cacheA = ready(a);
			Cache cacheB = ready(b);
			NearCache nearB = near(b);
			// The near tier's own invariant, checked each time B has processed an announcement of k by east: B keeps
			// no entry of east older than the announced version.
			AtomicLong eastProcessed = new AtomicLong();
			AtomicInteger behind = new AtomicInteger();
			java.util.Set<String> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
			invalidations(b).setProcessedListener((announcement, region) -> {
				if (region == 0 && announcement.subject().equals("rc:rates::k")) {
					if (versions.add(announcement.version())) {
						eastProcessed.incrementAndGet();
					}
					String kept = nearB.versionOf("k", 0);
					if (kept != null && kept.compareTo(announcement.version()) < 0) {
						behind.incrementAndGet();
					}
				}
			});
			ConcurrentLinkedQueue<Long> lags = new ConcurrentLinkedQueue<>();
			invalidations(b).setLagRecorder((cache, region, nanos) -> lags.add(nanos));
			cacheA.put("k", "0");
			await().atMost(Duration.ofSeconds(5)).until(() -> eastProcessed.get() == 1);
			int writes = 3000;
			CacheStatistics statisticsA = statistics(a);
			long eastPutsBefore = statisticsA.puts(0);
			AtomicBoolean done = new AtomicBoolean();
			AtomicInteger stale = new AtomicInteger();
			AtomicInteger reads = new AtomicInteger();
			AtomicInteger elsewhere = new AtomicInteger();
			long hitsBefore = nearB.hits();
			// Another cache of the same instances written as fast, so that B handles announcements of
			// both at up to 2,000 writes per second (east and west: up to 4,000 messages per second).
			Cache fxA = a.getBean(CacheManager.class).getCache("fx");
			AtomicInteger fxWrites = new AtomicInteger();
			CompletableFuture<Void> background = CompletableFuture.runAsync(() -> {
				long begin = System.nanoTime();
				for (int i = 1; !done.get(); i++) {
					LockSupport.parkNanos(begin + i * 1_000_000L - System.nanoTime());
					fxA.put("pair-" + (i % 100), Integer.toString(i));
					fxWrites.incrementAndGet();
				}
			});
			CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
				while (!done.get()) {
					// B processed p distinct versions of k announced by east: of p distinct writes, so the
					// newest of them is write p - 1 or later (write 0 came first).
					long processed = eastProcessed.get();
					long flushes = nearB.flushes();
					boolean followedEast = nearB.followed() == 0;
					Cache.ValueWrapper read = cacheB.get("k");
					if (read == null) {
						// A miss (no region answered in time on a starved machine): nothing served, nothing stale.
						continue;
					}
					long value = Long.parseLong((String) read.get());
					reads.incrementAndGet();
					if (!followedEast || nearB.followed() != 0 || nearB.flushes() != flushes) {
						// On a starved machine east's breaker can open in B: B then reads what west holds, which
						// the async replication updates later than east announced it (west's own announcements
						// drop those entries). East's announcements judge only reads of east's entries: the
						// tier followed east before and after the read, with no flush in between (every change
						// of the region followed flushes, so all its entries came from east).
						elsewhere.incrementAndGet();
						continue;
					}
					if (value < processed - 1) {
						stale.incrementAndGet();
					}
				}
			});
			long start = System.nanoTime();
			for (int i = 1; i <= writes; i++) {
				// 1,000 writes per second at most: each at its slot, never catching up in bursts.
				LockSupport.parkNanos(start + i * 1_000_000L - System.nanoTime());
				cacheA.put("k", Long.toString(i));
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			// Until no more announcements arrive: on a starved machine a write can miss east (journaled),
			// and its announcement then comes with the replay, or not in this test. A missing
			// announcement only makes the check above looser for the reads after it, never stricter.
			AtomicLong seen = new AtomicLong(-1);
			await().pollInterval(Duration.ofMillis(250)).during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20))
				.until(() -> seen.getAndSet(eastProcessed.get()) == eastProcessed.get());
			done.set(true);
			reader.join();
			background.join();
			long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
			long hits = nearB.hits() - hitsBefore;
			System.out.printf("[figure] entries kept behind an announcement: %d; A's writes journaled for east: %d%n", behind.get(),
					a.getBean(io.github.resilientcache.replication.ReplayJournal.class).recorded(a.getBean(Regions.class).get("east")));
			System.out.printf("[figure] near invalidation lag at %.0f writes/s (%d writes of the read key, %d of another cache): p50 %d us, "
					+ "p99 %d us, max %d us; B read %d times, %d near hits (%.0f%%), %d stale, %d not judged (not east's entries), "
					+ "%d of %d writes announced in east%n",
					(writes + fxWrites.get()) / seconds, writes,
					fxWrites.get(), percentile(sorted, 0.50) / 1000,
					percentile(sorted, 0.99) / 1000, sorted[sorted.length - 1] / 1000, reads.get(), hits, 100.0 * hits / reads.get(), stale.get(), elsewhere.get(),
					eastProcessed.get() - 1, writes);
			assertThat(behind).as("entries of east kept older than an announcement B processed").hasValue(0);
			// Judging reads by values needs one version per write: a write that timed out in A (journaled for east)
			// may have landed in east and then be written again with a newer version, which counts twice. Reads are
			// judged when east missed none of A's writes.
			long journaled = a.getBean(io.github.resilientcache.replication.ReplayJournal.class).recorded(a.getBean(Regions.class).get("east"));
			if (journaled == 0) {
				assertThat(stale).hasValue(0);
				assertThat(reads.get() - elsewhere.get()).as("reads of east's entries judged").isPositive();
			}
			assertThat(hits).as("B served from its near tier").isPositive();
			// Of the writes east took (on a starved machine A's link to east can time out: those writes go to west and
			// are journaled for east, whose replay copies only each key's latest version).
			long tookEast = statisticsA.puts(0) - eastPutsBefore;
			assertThat(eastProcessed.get() - 1).as("B received the invalidations of the %d writes east took", tookEast)
				.isGreaterThanOrEqualTo(tookEast / 2);
			// What B serves is compared with what its first serving region holds once nothing changes any more. On a
			// starved machine the burst can open breakers in A (its writes for east then go to west and are journaled:
			// thousands of them) and in B (a region A reported OPEN is probed, and B's reads fail over): until every
			// region is recovered, B may have no region to read (a miss, by design) and A's replay may still change
			// east. So first the end of every recovery, as after the faults of the other tests, then B's answer.
			await("A's and B's regions serve again, and A has replayed what it journaled").atMost(Duration.ofSeconds(20))
				.until(() -> TestApplications.allUp(a.getBean(Regions.class)) && TestApplications.allUp(b.getBean(Regions.class))
						&& replayed(a));
			// A read no region answers in time (a starved machine) is a miss: read until one is served, then compare.
			Cache.ValueWrapper last = await().atMost(Duration.ofSeconds(5)).until(() -> cacheB.get("k"), java.util.Objects::nonNull);
			assertThat(Long.parseLong((String) last.get())).as("what B serves once writes stopped")
				.isEqualTo(held(b.getBean(Regions.class), b.getBean(ValueCodec.class)));
		}));
	}

	@Test
	void cutInvalidationLinkStopsTheNearTierAtOnce() {
		try (ChaosProxy linkB = ChaosProxy.start("east-b", regions.get("east").port())) {
			instance(true).run((a) -> instance(linkB.address(), true).run((b) -> {
				Cache cacheA = ready(a);
				Cache cacheB = ready(b);
				NearCache nearB = near(b);
				cacheA.put("k", "1");
				await().atMost(Duration.ofSeconds(5)).until(() -> nearHit(cacheB, nearB, "1"));
				linkB.blackhole();
				long cut = System.nanoTime();
				cacheA.put("k", "2");
				// B's near tier makes no network call: only the silence of its channel can stop it.
				await().atMost(MAX_STALENESS).until(() -> nearB.flushes(NearFlushCause.CHANNEL_LOST) > 0 && !nearB.isLive());
				long stoppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
				assertThat(nearB.size()).as("flushed").isZero();
				Cache.ValueWrapper read = cacheB.get("k");
				assertThat((Object) ((read != null) ? read.get() : null)).as("not the replaced value").isNotEqualTo("1");
				System.out.printf("[figure] near tier stopped %d ms after its invalidation link was cut (heartbeat %d ms, max-staleness %d ms)%n",
						stoppedMillis, HEARTBEAT.toMillis(), MAX_STALENESS.toMillis());
				linkB.pass();
				await().atMost(Duration.ofSeconds(20)).until(() -> TestApplications.allUp(b.getBean(Regions.class)) && nearB.isLive());
				// A read no region answers in time (a starved machine) is a miss: the next one reads "2".
				await().atMost(Duration.ofSeconds(5)).until(() -> {
					Cache.ValueWrapper again = cacheB.get("k");
					return again != null && "2".equals(again.get());
				});
			}));
		}
	}

	@Test
	void aReconnectedChannelFlushesTheNearTier() {
		instance(true).run((b) -> {
			Cache cacheB = ready(b);
			NearCache nearB = near(b);
			cacheB.put("k", "1");
			await().atMost(Duration.ofSeconds(5)).until(() -> nearHit(cacheB, nearB, "1"));
			long restored = nearB.flushes(NearFlushCause.CHANNEL_RESTORED);
			long lost = nearB.flushes(NearFlushCause.CHANNEL_LOST);
			// East drops B's subscription: Redisson reconnects and subscribes again at once, faster than the silence window.
			// Whatever was announced in between is lost, so the resubscription itself flushes.
			regions.get("east").command("CLIENT", "KILL", "TYPE", "pubsub");
			await().atMost(MAX_STALENESS).until(() -> nearB.flushes(NearFlushCause.CHANNEL_RESTORED) > restored);
			System.out.printf("[figure] near tier flushed on a resubscription; channel-lost flushes meanwhile: %d%n",
					nearB.flushes(NearFlushCause.CHANNEL_LOST) - lost);
		});
	}

	@Test
	void slowInvalidationLinkStopsTheNearTier() {
		try (ChaosProxy linkB = ChaosProxy.start("east-b", regions.get("east").port())) {
			instance(true).run((a) -> instance(linkB.address(), true).run((b) -> {
				Cache cacheA = ready(a);
				Cache cacheB = ready(b);
				NearCache nearB = near(b);
				cacheA.put("k", "1");
				await().atMost(Duration.ofSeconds(5)).until(() -> {
					long hits = nearB.hits();
					return "1".equals(cacheB.get("k").get()) && nearB.hits() > hits;
				});
				// Announcements would now reach B 600 ms late: longer than its silence window (400 ms),
				// though messages keep flowing.
				linkB.latency(Duration.ofMillis(300));
				long slowed = System.nanoTime();
				await().atMost(MAX_STALENESS).until(() -> nearB.flushes(NearFlushCause.CHANNEL_LOST) > 0 && !nearB.isLive());
				System.out.printf("[figure] near tier stopped %d ms after its invalidation link became 600 ms slow (window %d ms)%n",
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slowed), HEARTBEAT.toMillis() * 4);
				// Off for as long as the link stays slow, although messages keep arriving every interval.
				await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !nearB.isLive());
				long hits = nearB.hits();
				cacheB.get("k");
				assertThat(nearB.hits()).as("no near hit while the link is slow").isEqualTo(hits);
				linkB.pass();
				await().atMost(Duration.ofSeconds(20)).until(() -> TestApplications.allUp(b.getBean(Regions.class)) && nearB.isLive());
			}));
		}
	}

	@Test
	void anUnannouncedChangeIsNeverServedLongerThanMaxStaleness() {
		// A keeps no near tier for the cache, so it announces nothing: as if every announcement were lost.
		instance(false).run((a) -> instance(true).run((b) -> {
			Cache cacheA = ready(a);
			Cache cacheB = ready(b);
			NearCache nearB = near(b);
			cacheA.put("k", "1");
			long fillStarted = System.nanoTime();
			assertThat(cacheB.get("k").get()).isEqualTo("1");
			long filled = System.nanoTime();
			assertThat(nearB.size()).isEqualTo(1);
			cacheA.put("k", "2");
			long lastOld = 0;
			int oldAfterWrite = 0;
			while (true) {
				long readStart = System.nanoTime();
				Cache.ValueWrapper read = cacheB.get("k");
				Object value = (read != null) ? read.get() : null;
				if ("2".equals(value)) {
					break;
				}
				if (value == null) {
					// A miss (no region answered in time): not the old value; read again.
					continue;
				}
				oldAfterWrite++;
				lastOld = readStart;
				assertThat(readStart - filled).as("served past max-staleness").isLessThan(MAX_STALENESS.toNanos());
				LockSupport.parkNanos(1_000_000);
			}
			System.out.printf("[figure] unannounced change served for %d ms after the fill (%d reads), max-staleness %d ms%n",
					TimeUnit.NANOSECONDS.toMillis(lastOld - fillStarted), oldAfterWrite, MAX_STALENESS.toMillis());
			assertThat(oldAfterWrite).as("the near tier served the old value until its bound").isPositive();
		}));
	}

	@Test
	void failoverAndFailbackWhileAWritesNeverServeOlderThanTheRegionsPlusTheBound() {
		instance(true).run((a) -> instance(true).run((b) -> {
			Cache cacheA = ready(a);
			Cache cacheB = ready(b);
			NearCache nearB = near(b);
			Regions regionsB = b.getBean(Regions.class);
			ValueCodec codec = b.getBean(ValueCodec.class);
			cacheA.put("k", "0");
			AtomicBoolean done = new AtomicBoolean();
			// A writes 20 times a second: slow enough for B's near tier to hit between writes.
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				for (int i = 1; !done.get(); i++) {
					cacheA.put("k", Long.toString(i));
					LockSupport.parkNanos(50_000_000);
				}
			});
			// Each sample: when B read, what its near tier served (-1: not a near hit), what B's serving region held.
			List<long[]> samples = new ArrayList<>();
			CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
				while (!done.get()) {
					long hits = nearB.hits();
					long t = System.nanoTime();
					Cache.ValueWrapper read = cacheB.get("k");
					long served = (nearB.hits() > hits && read != null) ? Long.parseLong((String) read.get()) : -1;
					samples.add(new long[] { t, served, held(regionsB, codec) });
					LockSupport.parkNanos(2_000_000);
				}
			});
			LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
			regions.get("east").pause();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !regionsB.get("east").isServing() && !a.getBean(Regions.class).get("east").isServing());
			LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
			regions.get("east").resume();
			// Until B reads east again (failback): what the test is about. A's own recovery (replaying what it
			// journaled for east) does not change what B may serve, and takes longest on a starved machine.
			await().atMost(Duration.ofSeconds(30)).until(() -> regionsB.get("east").isServing() && nearB.followed() == 0);
			LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
			done.set(true);
			writer.join();
			sampler.join();
			long worst = 0;
			int nearHits = 0;
			for (long[] s : samples) {
				if (s[1] < 0) {
					continue;
				}
				nearHits++;
				// How long the serving region had held something newer than what the near tier served.
				for (long[] earlier : samples) {
					if (earlier[0] <= s[0] && earlier[2] > s[1]) {
						worst = Math.max(worst, s[0] - earlier[0]);
						break;
					}
				}
			}
			System.out.printf("[figure] failover and failback while A writes: %d samples, %d near hits, worst near staleness %d ms "
					+ "(max-staleness %d ms), flushes: failover %d, region state %d%n", samples.size(), nearHits,
					TimeUnit.NANOSECONDS.toMillis(worst), MAX_STALENESS.toMillis(), nearB.flushes(NearFlushCause.FAILOVER),
					nearB.flushes(NearFlushCause.REGION_STATE));
			assertThat(nearHits).isPositive();
			assertThat(worst).isLessThan(MAX_STALENESS.toNanos());
			assertThat(nearB.flushes(NearFlushCause.REGION_STATE)).isPositive();
			assertThat(nearB.flushes(NearFlushCause.FAILOVER)).as("B's reads moved to west and back").isPositive();
		}));
	}

	@Test
	void aReadThatFetchedBeforeAnInvalidationNeverFillsTheOldValue() {
		instance(true).run((a) -> instance(true).run((b) -> {
			Cache cacheA = ready(a);
			Cache cacheB = ready(b);
			NearCache nearB = near(b);
			AtomicLong eastProcessed = eastVersionsProcessed(b);
			cacheA.put("k", "1");
			await().atMost(Duration.ofSeconds(5)).until(() -> eastProcessed.get() == 1);
			GatedCodec gate = (GatedCodec) b.getBean(ValueCodec.class);
			gate.holdNext("1");
			// B fetches "1" and is held between the fetch and the fill...
			CompletableFuture<@Nullable Object> read = CompletableFuture.supplyAsync(() -> cacheB.get("k").get());
			assertThat(gate.held.await(5, TimeUnit.SECONDS)).isTrue();
			// ...while A replaces it and B processes the invalidation.
			cacheA.put("k", "2");
			await().atMost(Duration.ofSeconds(5)).until(() -> eastProcessed.get() == 2);
			gate.release.countDown();
			assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("1");
			long hits = nearB.hits();
			assertThat(cacheB.get("k").get()).as("the old value was not filled").isEqualTo("2");
			assertThat(nearB.hits()).isEqualTo(hits);
			assertThat(cacheB.get("k").get()).isEqualTo("2");
			assertThat(nearB.hits()).as("the new value fills").isEqualTo(hits + 1);
		}));
	}

	@Test
	void loadsAreCoalescedAcrossTheNearTier() {
		instance(true).run((b) -> {
			Cache cacheB = ready(b);
			NearCache nearB = near(b);
			CacheStatistics statistics = statistics(b);
			long misses = statistics.totalMisses();
			AtomicInteger loads = new AtomicInteger();
			List<CompletableFuture<String>> callers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				callers.add(CompletableFuture.supplyAsync(() -> cacheB.get("c", () -> {
					loads.incrementAndGet();
					// The load lasts until every caller has missed (8 misses, and the read again of the caller that
					// loads): the others are then waiting for this load, which forces the interleaving whatever
					// the machine's load (a caller that missed after the load completed would read again and, if no
					// region answered in time on a starved machine, rightly load again).
					await().atMost(Duration.ofSeconds(10)).until(() -> statistics.totalMisses() - misses >= 9);
					return "loaded";
				})));
			}
			callers.forEach((caller) -> assertThat(caller.join()).isEqualTo("loaded"));
			assertThat(loads).hasValue(1);
			// The next reads fill the near tier and hit it (the first fill may be dropped by the
			// announcement of the load's own write, when it arrives after that fill).
			await().atMost(Duration.ofSeconds(5)).until(() -> nearHit(cacheB, nearB, "c", "loaded"));
		});
	}

	@Test
	void retrievalsAreCoalescedAcrossTheNearTier() {
		instance(true).run((b) -> {
			Cache cacheB = ready(b);
			NearCache nearB = near(b);
			CacheStatistics statistics = statistics(b);
			long misses = statistics.totalMisses();
			AtomicInteger loads = new AtomicInteger();
			CompletableFuture<String> load = new CompletableFuture<>();
			List<CompletableFuture<String>> callers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				callers.add(cacheB.retrieve("r", () -> {
					loads.incrementAndGet();
					return load;
				}));
			}
			// Completed once every caller has missed (8 misses, and the read again of the caller that loads): the others
			// then wait for this load.
			await().atMost(Duration.ofSeconds(10)).until(() -> statistics.totalMisses() - misses >= 9);
			load.complete("loaded");
			callers.forEach((caller) -> assertThat(caller).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("loaded"));
			assertThat(loads).hasValue(1);
			await().atMost(Duration.ofSeconds(5)).until(() -> nearHit(cacheB, nearB, "r", "loaded"));
		});
	}

	@Test
	void nearCacheOffSubscribesToNothingAndAnnouncesNothing() {
		instance(false).run((a) -> instance(false).run((b) -> {
			Cache cacheA = ready(a);
			Cache cacheB = ready(b);
			for (ApplicationContext context : List.of(a, b)) {
				assertThat(context.getBean(MultiRegionCacheManager.class).getNearInvalidations()).isNull();
				assertThat(context.getBean(MultiRegionCacheManager.class).getNearCache("rates")).isNull();
			}
			String nearChannel = a.getBean(Regions.class).keys().nearChannel();
			String statusChannel = a.getBean(Regions.class).keys().statusChannel();
			for (String region : regions.names()) {
				assertThat(regions.get(region).command("PUBSUB", "NUMSUB", nearChannel).toString()).endsWith("0]");
				assertThat(regions.get(region).command("PUBSUB", "CHANNELS", "*near*").toString()).isEqualTo("[]");
			}
			// Every message published in either region from now on, whatever its channel (PSUBSCRIBE *), seen by a
			// client of the test's own, straight to each server.
			List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
			List<org.redisson.api.RedissonClient> watchers = new ArrayList<>();
			try {
				for (String region : regions.names()) {
					org.redisson.config.Config config = new org.redisson.config.Config();
					config.useSingleServer().setAddress(regions.get(region).address());
					org.redisson.api.RedissonClient watcher = org.redisson.Redisson.create(config);
					watchers.add(watcher);
					watcher.getPatternTopic("*", org.redisson.client.codec.StringCodec.INSTANCE)
						.addListener(String.class, (pattern, channel, message) -> published.add(region + " " + channel + " " + message));
				}
				cacheA.put("k", "1");
				// A read no region answers in time (a starved machine) is a miss: read until one is served.
				await().atMost(Duration.ofSeconds(5)).until(() -> {
					Cache.ValueWrapper read = cacheB.get("k");
					return read != null && "1".equals(read.get());
				});
				cacheA.putIfAbsent("j", "1");
				cacheA.evict("k");
				cacheA.put("k", "2");
				// West takes A's writes asynchronously: its scripts have run once it holds the last one.
				Region westB = b.getBean(Regions.class).get("west");
				ValueCodec codec = b.getBean(ValueCodec.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(stored(westB, codec, "k")) && "1".equals(stored(westB, codec, "j")));
				// A server delivers its messages in the order they were published: anything a write script published
				// arrives before a marker published after it.
				for (String region : regions.names()) {
					regions.get(region).command("PUBLISH", "near-off-marker", region);
				}
				await().atMost(Duration.ofSeconds(10))
					.until(() -> published.stream().filter((message) -> message.contains(" near-off-marker ")).count() == regions.names().size());
				// Status messages (a region state change on a starved machine) are not announcements of writes.
				assertThat(published.stream()
					.filter((message) -> !message.contains(" near-off-marker ") && !message.contains(" " + statusChannel + " "))
					.toList()).as("messages published by writes and reads with the near tier off").isEmpty();
				for (String region : regions.names()) {
					assertThat(regions.get(region).command("PUBSUB", "NUMSUB", nearChannel).toString()).endsWith("0]");
				}
			}
			finally {
				watchers.forEach(org.redisson.api.RedissonClient::shutdown);
			}
		}));
	}

	/** What a region holds for a key of {@code rates}, decoded; {@code null} when absent, deleted or unreadable. */
	private static @Nullable String stored(Region region, ValueCodec codec, String key) {
		try {
			byte[] raw = region.direct().get("rc:rates::" + key).toCompletableFuture().get(1, TimeUnit.SECONDS);
			StoredEntry entry = StoredEntry.fromBytes(raw);
			return (entry != null && entry.isPresent()) ? (String) codec.decode(entry.payload()) : null;
		}
		catch (Exception ex) {
			return null;
		}
	}

	/**
	 * Reads a key once: whether the near tier served it with the expected value. A miss (no region
	 * answered in time on a starved machine) is not a failure, only no hit.
	 */
	private static boolean nearHit(Cache cache, NearCache near, String expected) {
		return nearHit(cache, near, "k", expected);
	}

	private static boolean nearHit(Cache cache, NearCache near, String key, String expected) {
		long hits = near.hits();
		Cache.ValueWrapper read = cache.get(key);
		return read != null && expected.equals(read.get()) && near.hits() > hits;
	}

	private static Cache ready(ApplicationContext context) {
		Regions all = context.getBean(Regions.class);
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
		}
		catch (ConditionTimeoutException ex) {
			// Which region did not come up, and in which state: a start that fails is not the near tier's doing.
			throw new AssertionError("Regions not all UP 10 s after the start: " + states(all), ex);
		}
		Cache cache = context.getBean(CacheManager.class).getCache("rates");
		NearCache near = context.getBean(MultiRegionCacheManager.class).getNearCache("rates");
		if (near != null) {
			await().atMost(Duration.ofSeconds(5)).until(near::isLive);
		}
		return cache;
	}

	private static CacheStatistics statistics(ApplicationContext context) {
		CacheStatistics statistics = context.getBean(MultiRegionCacheManager.class).getStatistics("rates");
		assertThat(statistics).isNotNull();
		return statistics;
	}

	private static NearCache near(ApplicationContext context) {
		NearCache near = context.getBean(MultiRegionCacheManager.class).getNearCache("rates");
		assertThat(near).isNotNull();
		return near;
	}

	/**
	 * How many distinct versions of key {@code k} of {@code rates} announced by east an instance has
	 * processed. Distinct: a write can be announced twice (a replay of a write that timed out in the
	 * writer but had landed), and counting announcements would then run ahead of the writes.
	 */
	private static AtomicLong eastVersionsProcessed(ApplicationContext context) {
		AtomicLong processed = new AtomicLong();
		java.util.Set<String> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
		invalidations(context).setProcessedListener((announcement, region) -> {
			if (region == 0 && announcement.subject().equals("rc:rates::k") && versions.add(announcement.version())) {
				processed.incrementAndGet();
			}
		});
		return processed;
	}

	private static NearInvalidations invalidations(ApplicationContext context) {
		NearInvalidations invalidations = context.getBean(MultiRegionCacheManager.class).getNearInvalidations();
		assertThat(invalidations).isNotNull();
		return invalidations;
	}

	/** What the first region B may read from holds now, -1 when it cannot tell within 100 ms. */
	private static long held(Regions regions, ValueCodec codec) {
		for (Region region : regions.all()) {
			if (region.isServing()) {
				try {
					byte[] raw = region.direct().get("rc:rates::k").toCompletableFuture().get(100, TimeUnit.MILLISECONDS);
					StoredEntry entry = StoredEntry.fromBytes(raw);
					return (entry != null && entry.isPresent()) ? Long.parseLong((String) codec.decode(entry.payload())) : -1;
				}
				catch (Exception ex) {
					return -1;
				}
			}
		}
		return -1;
	}

	private static String states(Regions regions) {
		return regions.all().stream().map((region) -> region.name() + " " + region.state()).toList().toString();
	}

	/** Whether an instance holds nothing it journaled and has not replayed yet, in any region. */
	private static boolean replayed(ApplicationContext context) {
		io.github.resilientcache.replication.ReplayJournal journal = context.getBean(io.github.resilientcache.replication.ReplayJournal.class);
		return context.getBean(Regions.class).all().stream().allMatch((region) -> journal.memory(region).isEmpty());
	}

	private static long percentile(long[] sorted, double p) {
		return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
	}

	/** Strings as UTF-8; can hold the decoding of one value until released, between a fetch and its fill. */
	static final class GatedCodec implements ValueCodec {

		private volatile @Nullable String holdOn;

		final CountDownLatch held = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		void holdNext(String value) {
			this.holdOn = value;
		}

		@Override
		public byte[] encode(Object value) {
			return ((String) value).getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public Object decode(byte[] bytes) {
			String value = new String(bytes, StandardCharsets.UTF_8);
			if (value.equals(this.holdOn)) {
				this.holdOn = null;
				this.held.countDown();
				try {
					this.release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return value;
		}

	}

}
