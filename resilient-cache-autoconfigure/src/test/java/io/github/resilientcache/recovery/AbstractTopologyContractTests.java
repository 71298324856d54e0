package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.EmbeddedRedis;
import io.github.resilientcache.test.RedisVersion;
import io.github.resilientcache.test.RegionTopology;
import io.github.resilientcache.testapp.Account;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every region topology (single server, Sentinel, Cluster with replicas) must do alike, on Redis 6.2 and 7: region east is
 * the topology under test and the local region, west a single server of the same version. The primary of east dies under load
 * and something takes its place that may hold less than it acknowledged (a promoted replica, or a server restarted empty): no
 * caller sees an error, no read is stale, and east serves again once repaired. East also takes part in every repair: replay
 * target, journal holder and anti-entropy peer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractTopologyContractTests {

	private static final int KEYS = 20;

	private RegionTopology east;

	private EmbeddedRedis west;

	/**
	 * Starts the topology under test.
	 * @param name the region name
	 * @param version the Redis version
	 * @return the started topology
	 */
	abstract RegionTopology startTopology(String name, RedisVersion version);

	/**
	 * The Redis version the servers run.
	 * @return the version
	 */
	abstract RedisVersion version();

	@BeforeAll
	void startServers() {
		this.west = EmbeddedRedis.start("west", List.of(), version());
		this.east = startTopology("east", version());
	}

	@AfterAll
	void stopServers() {
		if (this.east != null) {
			this.east.close();
		}
		if (this.west != null) {
			this.west.close();
		}
	}

	@BeforeEach
	void resetServers() {
		this.east.reset();
		this.west.reset();
	}

	private ApplicationContextRunner runner() {
		List<String> properties = new ArrayList<>(this.east.properties("east"));
		// West is declared after east, so that east stays first in failover order.
		properties.add("resilient-cache.regions.west.address=" + this.west.address());
		properties.add("resilient-cache.local-region=east");
		return TestApplications.runner(properties);
	}

	@Test
	void primaryKilledUnderLoadCostsNoErrorAndNoStaleRead() {
		runner().run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions regions = context.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> TestApplications.allUp(regions));
			for (int i = 0; i < KEYS; i++) {
				service.setBalance("t-" + i, BigDecimal.valueOf(i));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> inWest(KEYS, "t-"));
			FailbackProber prober = context.getBean(FailbackProber.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> prober.knowsRunIds("east"));
			RegionRecovery recovery = context.getBean(RegionRecovery.class);
			ReplayResult resyncBefore = recovery.lastResync("east");
			Load load = new Load(service);
			Thread thread = new Thread(load, "topology-load");
			thread.start();
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> load.operations.get() >= KEYS * 3);
				long killed = System.nanoTime();
				this.east.killPrimaryOf("rc:accounts::t-0");
				long replacedMillis = millisSince(killed);
				// Whatever the topology, a new primary is a new run id: east is rebuilt from west before it serves.
				await().atMost(Duration.ofSeconds(30))
					.until(() -> recovery.lastResync("east") != resyncBefore && regions.get("east").state() == RegionState.UP);
				long upMillis = millisSince(killed);
				long afterUp = load.operations.get();
				// Every key read and written again from east once it serves.
				await().atMost(Duration.ofSeconds(20)).until(() -> load.operations.get() >= afterUp + KEYS * 3);
				load.stop();
				thread.join(TimeUnit.SECONDS.toMillis(10));
				int staleAtEnd = 0;
				for (int i = 0; i < KEYS; i++) {
					if (!service.find("t-" + i).equals(service.current("t-" + i))) {
						staleAtEnd++;
					}
				}
				System.out.printf("[figure] %s, primary killed under load: replaced in %d ms, longest caller gap %d ms, east resynced and UP "
						+ "again %d ms after the kill, %d caller errors, %d stale reads of %d operations (+%d stale at the end)%n", this.east.description(),
						replacedMillis, load.longestGapMillis(), upMillis, load.errors.get(), load.stale.get(), load.operations.get(), staleAtEnd);
				assertThat(load.errors).as("errors seen by callers").hasValue(0);
				assertThat(load.stale).as("stale reads during the failover").hasValue(0);
				assertThat(staleAtEnd).as("stale reads after failback").isZero();
				// Replication to west is asynchronous: both regions converge to the same versions.
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					for (int i = 0; i < KEYS; i++) {
						String key = "rc:accounts::t-" + i;
						Object inEast = this.east.command(key, "GET", key);
						assertThat(inEast == null || inEast.equals(this.west.command("GET", key))).as("east holds no stale " + key).isTrue();
					}
				});
			}
			finally {
				load.stop();
				thread.join(TimeUnit.SECONDS.toMillis(10));
			}
		});
	}

	@Test
	void successorThatMissedAcknowledgedWritesIsResyncedBeforeItServes() {
		runner().run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions regions = context.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> TestApplications.allUp(regions));
			for (int i = 0; i < KEYS; i++) {
				service.setBalance("lost-" + i, BigDecimal.ONE);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> inWest(KEYS, "lost-"));
			FailbackProber prober = context.getBean(FailbackProber.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> prober.knowsRunIds("east"));
			RegionRecovery recovery = context.getBean(RegionRecovery.class);
			ReplayResult resyncBefore = recovery.lastResync("east");
			long killed = System.nanoTime();
			// East acknowledges these writes (its journal stays empty) but its successor never gets them.
			this.east.killPrimaryOfLosingWrites("rc:accounts::lost-0", () -> {
				for (int i = 0; i < KEYS; i++) {
					service.setBalance("lost-" + i, BigDecimal.TEN);
				}
			});
			int staleWhileOut = 0;
			for (int i = 0; i < KEYS; i++) {
				if (!service.find("lost-" + i).equals(service.current("lost-" + i))) {
					staleWhileOut++;
				}
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> recovery.lastResync("east") != resyncBefore && regions.get("east").state() == RegionState.UP);
			long upMillis = millisSince(killed);
			int staleAfter = 0;
			for (int i = 0; i < KEYS; i++) {
				if (!service.find("lost-" + i).equals(service.current("lost-" + i))) {
					staleAfter++;
				}
				String key = "rc:accounts::lost-" + i;
				Object inEast = this.east.command(key, "GET", key);
				assertThat(inEast == null || inEast.equals(this.west.command("GET", key))).as("east holds no stale " + key).isTrue();
			}
			System.out.printf("[figure] %s, successor missed acknowledged writes: east UP again %d ms after the kill, %d stale reads "
					+ "while it was out, %d after%n", this.east.description(), upMillis, staleWhileOut, staleAfter);
			assertThat(staleWhileOut).isZero();
			assertThat(staleAfter).isZero();
		});
	}

	@Test
	void writesMissedWhileOfflineAreReplayedIntoTheTopology() {
		runner().run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions regions = context.getBean(Regions.class);
			RegionRecovery recovery = context.getBean(RegionRecovery.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> TestApplications.allUp(regions));
			for (int i = 0; i < KEYS; i++) {
				service.find("r-" + i);
			}
			recovery.takeOffline(regions.get("east"), "maintenance");
			for (int i = 0; i < KEYS; i++) {
				if (i % 2 == 0) {
					service.blockCard("r-" + i);
				}
				else {
					service.setBalance("r-" + i, BigDecimal.valueOf(700 + i));
				}
			}
			bringOnline(recovery, regions, "east");
			for (int i = 0; i < KEYS; i++) {
				String key = "rc:accounts::r-" + i;
				assertThat(this.east.command(key, "GET", key)).as(key).isEqualTo(this.west.command("GET", key));
				assertThat(service.find("r-" + i)).isEqualTo(service.current("r-" + i));
			}
		});
	}

	@Test
	void holdsTheJournalOfAnotherRegionAndReplaysItIntoIt() {
		runner().run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions regions = context.getBean(Regions.class);
			RegionRecovery recovery = context.getBean(RegionRecovery.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> TestApplications.allUp(regions));
			recovery.takeOffline(regions.get("west"), "maintenance");
			for (int i = 0; i < KEYS; i++) {
				service.setBalance("j-" + i, BigDecimal.valueOf(300 + i));
			}
			String journal = "rc:journal:{west}";
			// Records that east cannot take in time (a starved machine) wait in memory and are replayed from there.
			await().atMost(Duration.ofSeconds(20)).until(() -> (Long) this.east.command(journal, "HLEN", journal) > 0);
			assertThat(this.west.dbSize()).isZero();
			bringOnline(recovery, regions, "west");
			await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(0).equals(this.east.command(journal, "HLEN", journal)));
			// A write that east too missed (a timeout on a busy machine) is in no region: repaired as a delete in both.
			int replayed = 0;
			for (int i = 0; i < KEYS; i++) {
				String key = "rc:accounts::j-" + i;
				Object inWest = this.west.command("GET", key);
				assertThat(inWest).as(key).isEqualTo(this.east.command(key, "GET", key));
				replayed += (inWest != null) ? 1 : 0;
			}
			assertThat(replayed).as("keys replayed into west").isPositive();
		});
	}

	@Test
	void antiEntropyRepairsWhatTheTopologyLost() {
		runner().run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions regions = context.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> TestApplications.allUp(regions));
			for (int i = 0; i < KEYS; i++) {
				service.setBalance("ae-" + i, BigDecimal.valueOf(i));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> inWest(KEYS, "ae-"));
			// Lost behind the cache's back, in east (the topology) and in west.
			this.east.command("rc:accounts::ae-1", "DEL", "rc:accounts::ae-1");
			this.west.command("DEL", "rc:accounts::ae-2");
			AntiEntropyReconciler reconciler = context.getBean(AntiEntropyReconciler.class);
			ReconciliationResult result = reconciler.reconcileNow();
			assertThat(result.skipped()).isNull();
			// A repair write that fails (a timeout on a busy machine) leaves the key for the next run.
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(reconciler.reconcileNow().perCache()).as("divergence found by this run").isEmpty();
				for (int i = 0; i < KEYS; i++) {
					String key = "rc:accounts::ae-" + i;
					assertThat(this.east.command(key, "GET", key)).as(key).isNotNull().isEqualTo(this.west.command("GET", key));
				}
			});
			assertThat(result.keysChecked()).isGreaterThanOrEqualTo(KEYS);
		});
	}

	/**
	 * Brings a region back online and waits until it serves. A replay cut short (a command that
	 * outlasted its timeout on a busy machine) leaves the region out and its journal whole, and the
	 * prober reconciles it again: what matters is that it serves only once reconciled.
	 */
	private static void bringOnline(RegionRecovery recovery, Regions regions, String region) {
		assertThat(recovery.bringOnline(regions.get(region), "maintenance over")).succeedsWithin(Duration.ofSeconds(20));
		await().atMost(Duration.ofSeconds(20)).until(() -> regions.get(region).state() == RegionState.UP);
	}

	private boolean inWest(int keys, String prefix) {
		for (int i = 0; i < keys; i++) {
			if (this.west.command("GET", "rc:accounts::" + prefix + i) == null) {
				return false;
			}
		}
		return true;
	}

	private static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	/**
	 * A caller's load on one thread, so that each of its reads must see its own last write: a
	 * write, then reads, key after key; counts errors, stale reads and the longest time between two
	 * answered calls.
	 */
	private static final class Load implements Runnable {

		private final AccountService service;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong operations = new AtomicLong();

		private final AtomicLong errors = new AtomicLong();

		private final AtomicLong stale = new AtomicLong();

		private final AtomicLong longestGapNanos = new AtomicLong();

		Load(AccountService service) {
			this.service = service;
		}

		@Override
		public void run() {
			long last = System.nanoTime();
			for (long n = 0; this.running.get(); n++) {
				String id = "t-" + (n % KEYS);
				try {
					if (n % 3 == 0) {
						this.service.setBalance(id, BigDecimal.valueOf(n));
					}
					else {
						Account read = this.service.find(id);
						if (!read.equals(this.service.current(id))) {
							this.stale.incrementAndGet();
						}
					}
				}
				catch (RuntimeException ex) {
					this.errors.incrementAndGet();
				}
				long now = System.nanoTime();
				this.longestGapNanos.accumulateAndGet(now - last, Math::max);
				last = now;
				this.operations.incrementAndGet();
			}
		}

		void stop() {
			this.running.set(false);
		}

		long longestGapMillis() {
			return TimeUnit.NANOSECONDS.toMillis(this.longestGapNanos.get());
		}

	}

}
