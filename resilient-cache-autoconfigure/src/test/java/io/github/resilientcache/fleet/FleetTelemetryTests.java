package io.github.resilientcache.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.resilientcache.autoconfigure.ResilientCacheFleetAutoConfiguration;
import io.github.resilientcache.fleet.FleetView.InstanceRow;
import io.github.resilientcache.fleet.RegionIncident.Phase;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.ChaosProxy;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet telemetry with three application instances of one JVM against real servers: the fleet
 * view shows a partial partition for the instance it affects only; a region killed for everyone
 * opens one incident, whose action fires once with the evidence, and closes once after the heal;
 * a leader that stops or crashes mid-incident is replaced without firing twice. Instance A reaches east
 * through its own proxy, so that its link alone can be cut.
 * <p>
 * Each scenario starts once the fleet knows no incident (a short cool-down lets the record of an
 * earlier scenario's incident expire), and counts the incidents of east opened after its fault only.
 * A region an instance has not confirmed since it started opens none ({@code FleetLoneInstanceTests}).
 */
class FleetTelemetryTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	private static final Duration STARTED = Duration.ofSeconds(30);

	private static ApplicationContextRunner instance(String name, String eastAddress, List<RegionIncident> incidents) {
		return TestApplications.runner(regions, "east")
			.withConfiguration(AutoConfigurations.of(ResilientCacheFleetAutoConfiguration.class))
			.withPropertyValues("resilient-cache.regions.east.address=" + eastAddress, "resilient-cache.fleet.enabled=true",
					"resilient-cache.fleet.interval=200ms", "resilient-cache.fleet.stale-after=3s", "resilient-cache.fleet.leader-lease=2s",
					"resilient-cache.fleet.threshold=1s", "resilient-cache.fleet.cool-down=2s")
			.withBean(RegionRecoveryAction.class, () -> new RecordingAction(incidents, name))
			.withBean(IncidentEvents.class, IncidentEvents::new);
	}

	@Test
	void oneInstanceCutFromEastShowsOpenForItOnlyAndFiresNoAction() {
		List<RegionIncident> incidents = RecordingAction.shared();
		try (ChaosProxy linkA = ChaosProxy.start("east-a", regions.get("east").port())) {
			instance("a", linkA.address(), incidents).run((a) -> instance("b", regions.address("east"), incidents)
				.run((b) -> instance("c", regions.address("east"), incidents).run((c) -> {
					awaitFleetUp(a, b, c);
					String instanceA = a.getBean(FleetTelemetry.class).instanceId();
					Instant cut = Instant.now();
					linkA.partition();
					AccountService serviceA = a.getBean(AccountService.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> {
						serviceA.find("cut-1");
						return a.getBean(Regions.class).get("east").state() == RegionState.OPEN;
					});
					FleetView viewB = b.getBean(FleetTelemetry.class).view();
					await().atMost(Duration.ofSeconds(10)).until(() -> eastStates(viewB).equals(Map.of(instanceA, "OPEN",
							id(b), "UP", id(c), "UP")));
					// Past the threshold, one instance of three is no quorum.
					await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
						.until(() -> east(incidents, cut).isEmpty() && eastStates(viewB).get(instanceA).equals("OPEN"));
					assertThat(List.of(a, b, c)).allSatisfy((context) -> assertThat(context.getBean(FleetTelemetry.class).incidents().get("east"))
						.satisfiesAnyOf((incident) -> assertThat(incident).isNull(),
								(incident) -> assertThat(Instant.parse(incident.openedAt())).isBefore(cut)));
					linkA.pass();
				})));
		}
	}

	@Test
	void eastKilledFiresTheActionOnceWithTheEvidenceAndRecoveredOnceAfterTheHeal() {
		List<RegionIncident> incidents = RecordingAction.shared();
		instance("a", regions.address("east"), incidents).run((a) -> instance("b", regions.address("east"), incidents)
			.run((b) -> instance("c", regions.address("east"), incidents).run((c) -> {
				awaitFleetUp(a, b, c);
				Instant killed = Instant.now();
				regions.get("east").stop();
				await().atMost(Duration.ofSeconds(30)).until(() -> {
					drive(a, b, c);
					return RecordingAction.count(east(incidents, killed), Phase.FAILED) == 1;
				});
				RegionIncident failed = east(incidents, killed).get(0);
				assertThat(failed.region()).isEqualTo("east");
				assertThat(failed.reportingInstances()).isEqualTo(3);
				// The evidence is the quorum that had seen it failed for the threshold: more than half of the three.
				assertThat(failed.evidence()).extracting(RegionIncident.Observation::instance).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(2)
					.isSubsetOf(id(a), id(b), id(c));
				assertThat(failed.evidence()).allSatisfy((observation) -> {
					assertThat(observation.state()).isEqualTo("OPEN");
					assertThat(observation.since()).isBefore(failed.openedAt());
				});
				// Every instance knows the incident; none fires it again.
				await().atMost(Duration.ofSeconds(5)).until(() -> List.of(a, b, c).stream()
					.allMatch((context) -> failed.id().equals(incidentId(context))));
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> east(incidents, killed).size() == 1);
				regions.get("east").start();
				await().atMost(Duration.ofSeconds(30)).until(() -> RecordingAction.count(east(incidents, killed), Phase.RECOVERED) == 1);
				RegionIncident recovered = east(incidents, killed).get(1);
				assertThat(recovered.id()).isEqualTo(failed.id());
				assertThat(recovered.evidence()).extracting(RegionIncident.Observation::state).containsOnly("UP");
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> east(incidents, killed).size() == 2);
				// Every instance published the incident's opening and closing once; the leader says it decided them.
				List<AssertableApplicationContext> all = List.of(a, b, c);
				await().atMost(Duration.ofSeconds(5)).until(() -> all.stream()
					.allMatch((context) -> context.getBean(IncidentEvents.class).of(failed.id(), Phase.RECOVERED).size() == 1));
				for (Phase phase : Phase.values()) {
					assertThat(all).allSatisfy((context) -> assertThat(context.getBean(IncidentEvents.class).of(failed.id(), phase)).singleElement()
						.satisfies((event) -> {
							assertThat(event.getRegion()).isEqualTo("east");
							assertThat(event.getOpenedAt()).isEqualTo(failed.openedAt());
						}));
					assertThat(all.stream().filter((context) -> context.getBean(IncidentEvents.class).of(failed.id(), phase).get(0).isDecidedHere()))
						.as("instances that decided the %s phase", phase).hasSize(1);
				}
			})));
	}

	@Test
	void anotherInstanceTakesOverWhenTheLeaderStopsMidIncidentWithoutFiringTwice() {
		leaderLeavesMidIncident(AssertableApplicationContext::close);
	}

	@Test
	void anotherInstanceTakesOverWhenTheLeaderCrashesMidIncidentWithoutFiringTwice() {
		leaderLeavesMidIncident(FleetTelemetryTests::crash);
	}

	/**
	 * East unreachable for every instance through its proxy (the port stays ours, so no other process
	 * on the machine can take it and answer as east while the incident is open); once the action
	 * fired, the leader leaves; another instance takes over (at once after a stop, once the lease
	 * expired after a crash), finds the open incident, fires nothing again, and reports the recovery once.
	 */
	private static void leaderLeavesMidIncident(Consumer<AssertableApplicationContext> leave) {
		List<RegionIncident> incidents = RecordingAction.shared();
		instance("a", regions.address("east"), incidents).run((a) -> instance("b", regions.address("east"), incidents)
			.run((b) -> instance("c", regions.address("east"), incidents).run((c) -> {
				awaitFleetUp(a, b, c);
				Instant cut = Instant.now();
				regions.proxy("east").partition();
				await().atMost(Duration.ofSeconds(30)).until(() -> {
					drive(a, b, c);
					return RecordingAction.count(east(incidents, cut), Phase.FAILED) == 1;
				});
				List<AssertableApplicationContext> all = List.of(a, b, c);
				AssertableApplicationContext leader = all.stream().filter((context) -> context.getBean(FleetTelemetry.class).isLeader())
					.findFirst().orElseThrow();
				String leaderId = id(leader);
				List<AssertableApplicationContext> others = all.stream().filter((context) -> context != leader).toList();
				leave.accept(leader);
				try {
					await().atMost(Duration.ofSeconds(10))
						.until(() -> others.stream().anyMatch((context) -> context.getBean(FleetTelemetry.class).isLeader()));
				}
				catch (ConditionTimeoutException ex) {
					throw new AssertionError("No instance took over: " + leadership(others), ex);
				}
				// Past the stale delay, the leader's last snapshot (east OPEN) no longer counts: nothing fires again.
				await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> east(incidents, cut).size() == 1);
				assertThat(others).allSatisfy((context) -> assertThat(incidentId(context)).isEqualTo(east(incidents, cut).get(0).id()));
				regions.proxy("east").pass();
				await().atMost(Duration.ofSeconds(30)).until(() -> {
					drive(others.toArray(AssertableApplicationContext[]::new));
					return RecordingAction.count(east(incidents, cut), Phase.RECOVERED) == 1;
				});
				assertThat(east(incidents, cut).get(1).id()).isEqualTo(east(incidents, cut).get(0).id());
				assertThat(east(incidents, cut).get(1).evidence()).extracting(RegionIncident.Observation::instance).doesNotContain(leaderId);
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> east(incidents, cut).size() == 2);
			})));
	}

	/**
	 * A killed JVM, as far as one test JVM can have one: every background thread of the instance
	 * stops at once (interrupted, no {@code SmartLifecycle.stop}, so the leader's lease is not
	 * released and no journal is flushed), then its Redis connections drop, as the kernel closes a
	 * killed process's sockets. Nothing of it runs or writes afterwards; what it left in Redis (the
	 * lease) expires by itself. Its context is closed only when the test ends, by which time its
	 * stop hooks find closed clients and change nothing.
	 */
	private static void crash(AssertableApplicationContext instance) {
		Regions crashed = instance.getBean(Regions.class);
		crashed.threads().close();
		for (Region region : crashed.all()) {
			region.direct().client().shutdown(0, 2, TimeUnit.SECONDS);
		}
	}

	private static void awaitFleetUp(AssertableApplicationContext... instances) {
		await().atMost(STARTED).until(() -> {
			for (AssertableApplicationContext context : instances) {
				FleetView view = context.getBean(FleetTelemetry.class).view();
				if (!TestApplications.allUp(context.getBean(Regions.class)) || view.fresh().size() != instances.length
						|| !context.getBean(FleetTelemetry.class).incidents().isEmpty()
						|| !view.fresh().stream().allMatch((snapshot) -> snapshot.regions().values().stream()
							.allMatch((cell) -> cell.state() == RegionState.UP))) {
					return false;
				}
			}
			return true;
		});
	}

	/** What decides leadership, as each instance sees it, and the lease as west holds it. */
	private static String leadership(List<AssertableApplicationContext> instances) {
		StringBuilder out = new StringBuilder();
		for (AssertableApplicationContext context : instances) {
			FleetTelemetry telemetry = context.getBean(FleetTelemetry.class);
			out.append(telemetry.instanceId()).append(": leader ").append(telemetry.isLeader()).append(", rounds ").append(telemetry.rounds())
				.append(", fresh ").append(telemetry.freshInstances());
			for (Region region : context.getBean(Regions.class).all()) {
				out.append(", ").append(region.name()).append(' ').append(region.state()).append(region.isServing() ? " serving" : " not serving");
			}
			out.append("; ");
		}
		String lease = instances.get(0).getBean(Regions.class).keys().fleetLeaderKey();
		return out.append("lease in west: ").append(regions.get("west").command("GET", lease)).append(" for ")
			.append(regions.get("west").command("PTTL", lease)).append(" ms").toString();
	}

	private static void drive(AssertableApplicationContext... instances) {
		for (AssertableApplicationContext context : instances) {
			context.getBean(AccountService.class).find("fleet-1");
		}
	}

	private static List<RegionIncident> east(List<RegionIncident> incidents, Instant fault) {
		return incidents.stream().filter((incident) -> incident.region().equals("east") && !incident.openedAt().isBefore(fault)).toList();
	}

	private static Map<String, String> eastStates(FleetView view) {
		return view.rows().stream().filter((row) -> !row.stale())
			.collect(java.util.stream.Collectors.toMap(InstanceRow::instance, (row) -> row.regions().get("east").state()));
	}

	private static String id(AssertableApplicationContext context) {
		return context.getBean(FleetTelemetry.class).instanceId();
	}

	private static String incidentId(AssertableApplicationContext context) {
		FleetTelemetry.IncidentView incident = context.getBean(FleetTelemetry.class).incidents().get("east");
		return (incident != null) ? incident.id() : "";
	}

}
