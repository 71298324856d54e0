package io.github.resilientcache.recovery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.StateLog;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A healthy server that closes idle connections (a server {@code timeout}, a NAT or load balancer
 * reset, {@code CLIENT KILL}) makes Redisson lose connections many times a minute: each loss is a
 * hint that a probe answers, never a failover.
 */
class IdleConnectionTests {

	private static final Duration RUN = Duration.ofSeconds(Long.getLong("idle-connection-tests.seconds", 10));

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@AfterEach
	void restoreServerTimeouts() {
		regions.names().forEach((name) -> regions.get(name).command("CONFIG", "SET", "timeout", "0"));
	}

	private static ApplicationContextRunner runner(String pingInterval) {
		return TestApplications.runner(regions, "east")
			.withBean(StateLog.class)
			.withPropertyValues("resilient-cache.regions.east.ping-interval=" + pingInterval,
					"resilient-cache.regions.west.ping-interval=" + pingInterval);
	}

	@Test
	void serverClosingIdleConnectionsNeverFailsARegionOver() {
		// No keep-alive, so that the server's idle timeout really closes the client's connections.
		runner("0").run((context) -> {
			Regions all = context.getBean(Regions.class);
			LongAdder hints = new LongAdder();
			all.all().forEach((region) -> region.addHintListener((what) -> hints.increment()));
			AccountService service = context.getBean(AccountService.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			regions.names().forEach((name) -> regions.get(name).command("CONFIG", "SET", "timeout", "1"));
			AtomicInteger calls = new AtomicInteger();
			AtomicInteger wrong = new AtomicInteger();
			// Sporadic calls, 2.5 s apart: long enough for the server to close every idle connection in between.
			await().during(RUN).atMost(RUN.plusSeconds(10)).pollInterval(Duration.ofMillis(2500)).until(() -> {
				String id = "idle-" + (calls.incrementAndGet() % 3);
				if (!service.find(id).equals(service.current(id))) {
					wrong.incrementAndGet();
				}
				return TestApplications.allUp(all);
			});
			StateLog log = context.getBean(StateLog.class);
			System.out.printf("[figure] idle-closing server (timeout 1) for %d s: %d lost connections (hints), %d calls, %d spurious OPENs%n",
					RUN.toSeconds(), hints.sum(), calls.get(), log.afterFirstUp("east").size() + log.afterFirstUp("west").size());
			assertThat(hints.sum()).as("the server closed idle connections").isPositive();
			assertThat(log.afterFirstUp("east")).isEmpty();
			assertThat(log.afterFirstUp("west")).isEmpty();
			assertThat(wrong).hasValue(0);
		});
	}

	@Test
	void keepAliveKeepsConnectionsOfAnIdleClosingServerOpen() {
		runner("500ms").run((context) -> {
			Regions all = context.getBean(Regions.class);
			LongAdder hints = new LongAdder();
			all.all().forEach((region) -> region.addHintListener((what) -> hints.increment()));
			AccountService service = context.getBean(AccountService.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			service.find("keep-1");
			regions.names().forEach((name) -> regions.get(name).command("CONFIG", "SET", "timeout", "2"));
			await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1))
				.until(() -> service.find("keep-1") != null && TestApplications.allUp(all));
			assertThat(hints.sum()).as("no connection closed while the keep-alive PING runs").isZero();
			assertThat(context.getBean(StateLog.class).afterFirstUp("east")).isEmpty();
		});
	}

	@Test
	void killedClientConnectionsOfAHealthyServerNeverFailItOver() {
		runner("1s").run((context) -> {
			Regions all = context.getBean(Regions.class);
			LongAdder hints = new LongAdder();
			all.all().forEach((region) -> region.addHintListener((what) -> hints.increment()));
			AccountService service = context.getBean(AccountService.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			for (int round = 0; round < 5; round++) {
				String id = "kill-" + round;
				service.find(id);
				long before = hints.sum();
				regions.get("east").command("CLIENT", "KILL", "TYPE", "normal");
				await().atMost(Duration.ofSeconds(5)).until(() -> hints.sum() > before);
				await().atMost(Duration.ofSeconds(5)).until(() -> service.find(id).equals(service.current(id)));
			}
			assertThat(context.getBean(StateLog.class).afterFirstUp("east")).isEmpty();
			assertThat(all.get("east").state()).isEqualTo(RegionState.UP);
		});
	}

}
