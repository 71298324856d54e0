package io.github.resilientcache.recovery;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Time from a real failure of the local region to {@code OPEN}, under light load, for each kind of
 * failure: a stopped server (refused connections), a hung one (SIGSTOP) and a black hole (a path
 * that accepts and never answers). Prints the figures for the runbook; asserts only that each
 * failure is detected and that no caller saw an error.
 */
class DetectionTimeTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	@Test
	void stoppedServer() {
		measure("stopped server", (redis) -> regions.get("east").stop(), () -> regions.get("east").start());
	}

	@Test
	void hungServer() {
		measure("hung server (SIGSTOP)", (redis) -> regions.get("east").pause(), () -> regions.get("east").resume());
	}

	@Test
	void blackHoledPath() {
		measure("black-holed path", (redis) -> regions.proxy("east").blackhole(), () -> regions.proxy("east").pass());
	}

	private static void measure(String fault, Consumer<String> inject, Runnable heal) {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions all = context.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger errors = new AtomicInteger();
			ExecutorService load = Executors.newFixedThreadPool(2);
			for (int t = 0; t < 2; t++) {
				load.execute(() -> {
					for (int n = 0; running.get(); n++) {
						try {
							service.find("detect-" + (n % 50));
						}
						catch (RuntimeException ex) {
							errors.incrementAndGet();
						}
					}
				});
			}
			try {
				await().atMost(Duration.ofSeconds(5)).until(() -> service.loads() >= 50);
				long start = System.nanoTime();
				inject.accept("east");
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).until(() -> all.get("east").state() == RegionState.OPEN);
				long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				System.out.printf("[figure] detection, %s: OPEN after %d ms (%s)%n", fault, millis, all.get("east").stateReason());
			}
			finally {
				running.set(false);
				load.shutdown();
				heal.run();
			}
			assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			assertThat(errors).hasValue(0);
			await().atMost(Duration.ofSeconds(20)).until(() -> all.get("east").state() == RegionState.UP);
		});
	}

}
