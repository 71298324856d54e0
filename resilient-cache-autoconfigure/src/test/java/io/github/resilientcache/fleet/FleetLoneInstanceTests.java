package io.github.resilientcache.fleet;

import java.time.Duration;
import java.util.List;

import io.github.resilientcache.autoconfigure.ResilientCacheFleetAutoConfiguration;
import io.github.resilientcache.fleet.RegionIncident.Phase;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one instance alone decides, against real servers. At start-up: a region the instance has not
 * confirmed either way since it started ({@code OPEN}, starting) is no evidence of a failure, so a
 * lone starting instance opens no incident, however long ago its regions were created; a region that
 * two probes in a row confirm unreachable is a failure like any other. And an incident the rate
 * limit holds back is counted once, however many rounds it waits.
 */
class FleetLoneInstanceTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	private static ApplicationContextRunner instance(List<RegionIncident> incidents) {
		return TestApplications.runner(regions, "east")
			.withConfiguration(AutoConfigurations.of(ResilientCacheFleetAutoConfiguration.class))
			.withPropertyValues("resilient-cache.fleet.enabled=true", "resilient-cache.fleet.interval=200ms",
					"resilient-cache.fleet.stale-after=3s", "resilient-cache.fleet.leader-lease=2s", "resilient-cache.fleet.threshold=1s",
					"resilient-cache.fleet.cool-down=2s")
			.withBean(RegionRecoveryAction.class, () -> new RecordingAction(incidents, "lone"));
	}

	@Test
	void loneInstanceWhoseRegionIsStillStartingOpensNoIncident() {
		List<RegionIncident> incidents = RecordingAction.shared();
		// East refuses the start-up probe; no periodic probe follows within the test (interval 1 h),
		// so east stays OPEN and starting: neither confirmed reachable nor unreachable.
		regions.proxy("east").partition();
		instance(incidents).withPropertyValues("resilient-cache.probe.interval=1h").run((context) -> {
			Region east = context.getBean(Regions.class).get("east");
			Region west = context.getBean(Regions.class).get("west");
			FleetTelemetry telemetry = context.getBean(FleetTelemetry.class);
			assertThat(east.isStarting()).isTrue();
			// West must serve to hold the lease. On a starved machine its first probe may time out too,
			// and no probe round follows: reconcile it as the prober's next rounds would.
			if (west.state() != RegionState.UP) {
				context.getBean(RegionRecovery.class).recoverAsync(west, "west answers (test set-up)", true);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> west.state() == RegionState.UP);
			// It leads, and its own snapshot shows east OPEN, starting.
			await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.isLeader() && telemetry.view().fresh().stream()
				.anyMatch((snapshot) -> snapshot.regions().get("east").starting()));
			// Several threshold lengths pass, and the region was created longer ago than the threshold: no incident.
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
				.until(() -> incidents.isEmpty() && telemetry.incidentsOpened() == 0 && east.isStarting() && telemetry.isLeader());
			assertThat(telemetry.incidents()).isEmpty();
			assertThat(regions.get("west").command("EXISTS", context.getBean(Regions.class).keys().fleetIncidentKey("east"))).isEqualTo(0L);
		});
	}

	@Test
	void incidentHeldBackByTheRateLimitIsCountedOnce() {
		List<RegionIncident> incidents = RecordingAction.shared();
		instance(incidents).withPropertyValues("resilient-cache.fleet.max-actions=1", "resilient-cache.fleet.cool-down=0s").run((context) -> {
			Regions all = context.getBean(Regions.class);
			FleetTelemetry telemetry = context.getBean(FleetTelemetry.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			Region east = all.get("east");
			// The first incident takes the one action of the period. Each step is awaited on its own:
			// the prober's detection (seconds on a starved machine), then the fleet's decision.
			regions.proxy("east").partition();
			await().atMost(Duration.ofSeconds(10)).until(() -> east.state() == RegionState.OPEN);
			await().atMost(Duration.ofSeconds(10)).until(() -> RecordingAction.count(incidents, Phase.FAILED) == 1);
			regions.proxy("east").pass();
			await().atMost(Duration.ofSeconds(30)).until(() -> RecordingAction.count(incidents, Phase.RECOVERED) == 1);
			// The second is held back for the rest of the period: once, not once per round.
			regions.proxy("east").partition();
			await().atMost(Duration.ofSeconds(10)).until(() -> east.state() == RegionState.OPEN);
			await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.actionsRateLimited() == 1);
			long rounds = telemetry.rounds();
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
				.until(() -> telemetry.actionsRateLimited() == 1 && east.state() == RegionState.OPEN && incidents.size() == 2);
			assertThat(telemetry.rounds()).as("rounds while held back").isGreaterThan(rounds + 2);
			assertThat(telemetry.incidentsOpened()).isEqualTo(1);
			regions.proxy("east").pass();
		});
	}

	@Test
	void regionConfirmedUnreachableSinceStartOpensOneIncident() {
		List<RegionIncident> incidents = RecordingAction.shared();
		regions.proxy("east").partition();
		instance(incidents).run((context) -> {
			Region east = context.getBean(Regions.class).get("east");
			// Two periodic probes in a row refused: a confirmed failure, and a lone instance is a quorum of one.
			await().atMost(Duration.ofSeconds(10)).until(() -> !east.isStarting());
			assertThat(east.state()).isEqualTo(RegionState.OPEN);
			assertThat(east.stateReason()).startsWith("unreachable since start");
			await().atMost(Duration.ofSeconds(10)).until(() -> RecordingAction.count(incidents, Phase.FAILED) == 1);
			RegionIncident failed = incidents.get(0);
			assertThat(failed.region()).isEqualTo("east");
			assertThat(failed.reportingInstances()).isEqualTo(1);
			assertThat(failed.evidence()).singleElement().satisfies((observation) -> {
				assertThat(observation.reason()).startsWith("unreachable since start");
				assertThat(observation.since().toEpochMilli()).isEqualTo(east.stateSince().toEpochMilli());
			});
			regions.proxy("east").pass();
			await().atMost(Duration.ofSeconds(30)).until(() -> RecordingAction.count(incidents, Phase.RECOVERED) == 1);
			assertThat(incidents.get(1).id()).isEqualTo(failed.id());
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> incidents.size() == 2);
		});
	}

}
