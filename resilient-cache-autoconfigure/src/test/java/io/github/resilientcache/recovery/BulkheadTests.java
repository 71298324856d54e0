package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.StateLog;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regions are bulkheads: a region that accepts connections but never answers (a black hole) takes
 * nothing from a healthy one, whose breaker stays closed and whose state stays UP under load.
 */
class BulkheadTests {

	private static final int THREADS = 8;

	private static final Duration LOAD = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	@Test
	void blackHoledRegionNeverTakesTheHealthyRegionOut() throws Exception {
		TestApplications.runner(regions, "east").withBean(StateLog.class).run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions all = context.getBean(Regions.class);
			Region west = all.get("west");
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			List<String> westBreaker = new ArrayList<>();
			west.circuitBreaker().getEventPublisher().onStateTransition((event) -> westBreaker.add(event.getStateTransition().toString()));
			AtomicInteger errors = new AtomicInteger();
			AtomicInteger calls = new AtomicInteger();
			AtomicLong slowestNanos = new AtomicLong();
			ExecutorService load = Executors.newFixedThreadPool(THREADS);
			long blackholedAt = System.nanoTime();
			regions.proxy("east").blackhole();
			long end = System.nanoTime() + LOAD.toNanos();
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				workers.add(load.submit(() -> {
					for (int n = 0; System.nanoTime() - end < 0; n++) {
						String id = "bulk-" + thread + "-" + (n % 20);
						long start = System.nanoTime();
						try {
							switch (n % 4) {
								case 0 -> service.setBalance(id, BigDecimal.valueOf(n));
								case 1 -> service.blockCard(id);
								default -> service.find(id);
							}
						}
						catch (RuntimeException ex) {
							errors.incrementAndGet();
						}
						calls.incrementAndGet();
						slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
					}
				}));
			}
			await().atMost(LOAD).until(() -> all.get("east").state() == RegionState.OPEN);
			long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - blackholedAt);
			for (Future<?> worker : workers) {
				worker.get(LOAD.toSeconds() + 30, TimeUnit.SECONDS);
			}
			load.shutdown();
			StateLog log = context.getBean(StateLog.class);
			System.out.printf("[figure] east black-holed under %d threads for %d s: east OPEN after %d ms, %d calls, %d caller errors, "
					+ "slowest call %d ms, west state changes %d, west breaker transitions %s%n", THREADS, LOAD.toSeconds(), openMillis,
					calls.get(), errors.get(), TimeUnit.NANOSECONDS.toMillis(slowestNanos.get()), log.afterFirstUp("west").size(), westBreaker);
			assertThat(errors).hasValue(0);
			assertThat(log.afterFirstUp("west")).as("west never left UP").isEmpty();
			assertThat(westBreaker).as("west's breaker never moved").isEmpty();
			assertThat(west.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			regions.proxy("east").pass();
			await().atMost(Duration.ofSeconds(20)).until(() -> all.get("east").state() == RegionState.UP);
		});
	}

}
