package io.github.resilientcache.fleet;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.resilientcache.autoconfigure.ResilientCacheFleetAutoConfiguration;
import io.github.resilientcache.fleet.RegionIncident.Phase;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.EmbeddedRedis;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Time to repair the local region's Redis killed under two instances, with the automation on (a
 * recovery action restarts the server, as the sample's does) and off (the region stays failed until
 * an operator acts). Prints the phases as [figure] lines for the runbook: detect (first instance
 * OPEN), heal (server answering again), fail back (every instance UP) and warm (the region holds
 * every entry written before the kill again). Asserts only what a user relies on: automation heals
 * without anyone, and the region comes back warm.
 */
class FleetMttrTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private static final int ENTRIES = 50;

	private static ApplicationContextRunner instance(RegionRecoveryAction action) {
		return TestApplications.runner(regions, "east")
			.withConfiguration(AutoConfigurations.of(ResilientCacheFleetAutoConfiguration.class))
			.withPropertyValues("resilient-cache.fleet.enabled=true", "resilient-cache.fleet.interval=200ms",
					"resilient-cache.fleet.stale-after=3s", "resilient-cache.fleet.leader-lease=2s", "resilient-cache.fleet.threshold=1s",
					"resilient-cache.fleet.cool-down=2s")
			.withBean(RegionRecoveryAction.class, () -> action);
	}

	@Test
	void automationRestartsTheKilledRegionAndItFailsBackWarm() {
		List<RegionIncident> incidents = RecordingAction.shared();
		RegionRecoveryAction restart = new RegionRecoveryAction() {

			@Override
			public void regionFailed(RegionIncident incident) {
				incidents.add(incident);
				regions.get(incident.region()).start();
			}

			@Override
			public void regionRecovered(RegionIncident incident) {
				incidents.add(incident);
			}

		};
		instance(restart).run((a) -> instance(restart).run((b) -> {
			Phases phases = killEast(a, b);
			long heal = phases.await(() -> regions.get("east").isRunning() && answers(regions.get("east")));
			long failback = phases.await(() -> eastUp(a) && eastUp(b));
			long warm = phases.await(() -> entriesIn(regions.get("east"), a) == ENTRIES);
			await().atMost(Duration.ofSeconds(30)).until(() -> RecordingAction.count(east(incidents, phases), Phase.RECOVERED) == 1);
			assertThat(RecordingAction.count(east(incidents, phases), Phase.FAILED)).isEqualTo(1);
			System.out.printf("[figure] MTTR, local region killed, automation on (threshold 1 s): detect %d ms, heal %d ms, fail back %d ms, warm %d ms%n",
					phases.detect, heal, failback, warm);
		}));
	}

	@Test
	void withoutAutomationTheKilledRegionWaitsForAnOperator() {
		List<RegionIncident> incidents = RecordingAction.shared();
		RegionRecoveryAction alertOnly = new RecordingAction(incidents, "alert");
		instance(alertOnly).run((a) -> instance(alertOnly).run((b) -> {
			Phases phases = killEast(a, b);
			// The fleet still opens the incident (an alert), but nothing heals the region.
			await().atMost(Duration.ofSeconds(30)).until(() -> RecordingAction.count(east(incidents, phases), Phase.FAILED) == 1);
			long alerted = phases.elapsed();
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
				.until(() -> !regions.get("east").isRunning() && a.getBean(Regions.class).get("east").state() == RegionState.OPEN);
			long operator = phases.elapsed();
			regions.get("east").start();
			long failback = phases.await(() -> eastUp(a) && eastUp(b));
			long warm = phases.await(() -> entriesIn(regions.get("east"), a) == ENTRIES);
			System.out.printf("[figure] MTTR, local region killed, automation off: detect %d ms, incident (alert) %d ms, still OPEN at %d ms until an "
					+ "operator restarts it; then fail back %d ms, warm %d ms after the kill%n", phases.detect, alerted, operator, failback, warm);
		}));
	}

	private static Phases killEast(AssertableApplicationContext a, AssertableApplicationContext b) {
		// A healthy fleet that knows no incident: one opened by an instance starting alone on a starved machine has expired.
		await().atMost(Duration.ofSeconds(30)).until(() -> TestApplications.allUp(a.getBean(Regions.class))
				&& TestApplications.allUp(b.getBean(Regions.class)) && a.getBean(FleetTelemetry.class).freshInstances() == 2
				&& a.getBean(FleetTelemetry.class).incidents().isEmpty() && b.getBean(FleetTelemetry.class).incidents().isEmpty());
		AccountService service = a.getBean(AccountService.class);
		// Both regions hold every entry before the kill: a write a starved JVM journaled instead is written again.
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			if (entriesIn(regions.get("east"), a) == ENTRIES && entriesIn(regions.get("west"), a) == ENTRIES) {
				return true;
			}
			for (int i = 0; i < ENTRIES; i++) {
				service.setBalance("mttr-" + i, BigDecimal.valueOf(i));
			}
			return false;
		});
		Phases phases = new Phases(System.nanoTime());
		regions.get("east").stop();
		phases.detect = phases.await(() -> {
			a.getBean(AccountService.class).find("mttr-0");
			b.getBean(AccountService.class).find("mttr-0");
			return a.getBean(Regions.class).get("east").state() == RegionState.OPEN
					|| b.getBean(Regions.class).get("east").state() == RegionState.OPEN;
		});
		return phases;
	}

	/** East's incidents since the kill: an instance starting alone on a starved machine may rightly open one of its own before. */
	private static List<RegionIncident> east(List<RegionIncident> incidents, Phases phases) {
		return incidents.stream().filter((incident) -> incident.region().equals("east") && !incident.openedAt().isBefore(phases.killedAt))
			.toList();
	}

	private static boolean eastUp(AssertableApplicationContext context) {
		return context.getBean(Regions.class).get("east").state() == RegionState.UP;
	}

	private static boolean answers(EmbeddedRedis server) {
		try {
			return "PONG".equals(String.valueOf(server.command("PING")));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static long entriesIn(EmbeddedRedis server, AssertableApplicationContext context) {
		try {
			Object keys = server.command("KEYS", context.getBean(Regions.class).keys().cachePattern("accounts"));
			return ((List<?>) keys).size();
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	private static final class Phases {

		private final long killed;

		private final Instant killedAt = Instant.now();

		private long detect;

		Phases(long killed) {
			this.killed = killed;
		}

		long elapsed() {
			return (System.nanoTime() - this.killed) / 1_000_000;
		}

		long await(java.util.concurrent.Callable<Boolean> condition) {
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(condition);
			return elapsed();
		}

	}

}
