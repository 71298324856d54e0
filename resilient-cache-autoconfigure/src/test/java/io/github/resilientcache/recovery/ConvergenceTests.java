package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances, one local to each region, write the same keys at the same time while
 * the network path to one region flaps: afterwards every region holds the same latest entry for
 * every key.
 */
class ConvergenceTests {

	private static final int KEYS = 40;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	private static void awaitWrites(AtomicInteger writes, int more) {
		int target = writes.get() + more;
		await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() >= target);
	}

	private static ApplicationContextRunner instance(String local) {
		// Anti-entropy on, as in production, every second: it runs beside the flaps and the replays.
		return TestApplications.runner(regions, local).withPropertyValues("resilient-cache.reconciliation.enabled=true",
				"resilient-cache.reconciliation.interval=1s");
	}

	@Test
	void concurrentWritersConvergeAfterTheLinkToOneRegionFlaps() {
		instance("east").run((east) -> instance("west").run((west) -> {
			List<AccountService> services = List.of(east.getBean(AccountService.class), west.getBean(AccountService.class));
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger errors = new AtomicInteger();
			AtomicInteger writes = new AtomicInteger();
			ExecutorService writers = Executors.newFixedThreadPool(4);
			List<Future<?>> futures = new ArrayList<>();
			for (int w = 0; w < 4; w++) {
				AccountService service = services.get(w % 2);
				int writer = w;
				futures.add(writers.submit(() -> {
					int n = 0;
					while (running.get()) {
						String key = "conv-" + (n % KEYS);
						try {
							if (n % 5 == 0) {
								service.blockCard(key);
							}
							else {
								service.setBalance(key, BigDecimal.valueOf(writer * 100_000L + n));
							}
							service.find(key);
							writes.incrementAndGet();
						}
						catch (RuntimeException ex) {
							errors.incrementAndGet();
						}
						n++;
					}
				}));
			}
			// Each phase lasts a number of writes, not a time: the run is the same on a slow machine.
			for (int flap = 0; flap < 4; flap++) {
				awaitWrites(writes, 150);
				regions.proxy("east").partition();
				awaitWrites(writes, 150);
				if (flap < 3) {
					regions.proxy("east").pass();
				}
			}
			// The run ends while east is cut off: its last writes reach east only through the journal.
			running.set(false);
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
			writers.shutdown();
			assertThat(regions.get("west").command("HLEN", "rc:journal:{east}")).as("east missed writes").isNotEqualTo(0L);
			regions.proxy("east").pass();
			assertThat(errors).as("no error reached the callers").hasValue(0);
			Regions eastRegions = east.getBean(Regions.class);
			Regions westRegions = west.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(40)).until(() -> TestApplications.allUp(eastRegions)
					&& TestApplications.allUp(westRegions));
			await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
				for (int i = 0; i < KEYS; i++) {
					String key = "rc:accounts::conv-" + i;
					assertThat(regions.get("east").command("GET", key)).as(key).isEqualTo(regions.get("west").command("GET", key));
				}
			});
			List<?> peer = (List<?>) regions.get("west").command("KEYS", "rc:accounts::*");
			long warm = peer.stream().filter((key) -> Objects.equals(regions.get("east").command("GET", (String) key),
					regions.get("west").command("GET", (String) key))).count();
			ReconciliationResult check = east.getBean(AntiEntropyReconciler.class).reconcileNow();
			System.out.printf("[figure] convergence: %d writes by 2 instances through 4 flaps, %d errors, east holds %d of west's "
					+ "%d entries, anti-entropy after: %s%n", writes.get(), errors.get(), warm, peer.size(), check.describe());
			// West may hold nothing: a write no region took (both timed out on a starved machine) is
			// repaired as a delete in both, which is right: its value is nowhere, an older one must go.
			assertThat(peer.isEmpty() ? 100.0 : 100.0 * warm / peer.size()).as("share of west's entries east holds").isGreaterThanOrEqualTo(99.0);
			assertThat(check.divergent()).as("divergent keys found by one anti-entropy run").isZero();
		}));
	}

}
