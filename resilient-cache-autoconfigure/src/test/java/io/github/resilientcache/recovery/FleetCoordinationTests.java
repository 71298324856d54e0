package io.github.resilientcache.recovery;

import java.time.Duration;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.RegionStateChange;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.ChaosProxy;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.StateLog;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instances share confirmed facts, not states: another instance's OPEN makes an instance probe the
 * region itself; an operator's OFFLINE is applied everywhere. Instance A reaches east through one
 * proxy, instance B through another, so that A's link can be cut while B's is fine.
 */
class FleetCoordinationTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	private static ApplicationContextRunner instance(ChaosProxy eastLink) {
		return TestApplications.runner(regions, "east").withBean(StateLog.class)
			.withPropertyValues("resilient-cache.regions.east.address=" + eastLink.address());
	}

	@Test
	void partitionBetweenOneInstanceAndARegionFailsItOverForThatInstanceOnly() {
		try (ChaosProxy linkB = ChaosProxy.start("east-b", regions.get("east").port())) {
			instance(regions.proxy("east")).run((a) -> instance(linkB).run((b) -> {
				Regions regionsA = a.getBean(Regions.class);
				Regions regionsB = b.getBean(Regions.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> regionsA.get("east").state() == RegionState.UP
						&& regionsB.get("east").state() == RegionState.UP);
				AccountService serviceA = a.getBean(AccountService.class);
				AccountService serviceB = b.getBean(AccountService.class);
				regions.proxy("east").partition();
				await().atMost(Duration.ofSeconds(5)).until(() -> {
					serviceA.find("part-1");
					return regionsA.get("east").state() == RegionState.OPEN;
				});
				// B heard A's report, probed east itself and keeps serving from it.
				await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
					serviceB.find("part-1");
					return regionsB.get("east").state() == RegionState.UP;
				});
				assertThat(b.getBean(StateLog.class).afterFirstUp("east")).isEmpty();
				assertThat(regionsB.get("east").circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
				// Now B loses east too: it fails east over on its own probe, not on A's word.
				linkB.partition();
				// The log hears a change on the region's events thread, after the state moved: wait for it.
				StateLog logB = b.getBean(StateLog.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> regionsB.get("east").state() == RegionState.OPEN && !logB.afterFirstUp("east").isEmpty());
				RegionStateChange open = logB.afterFirstUp("east").get(0);
				assertThat(open.remote()).isFalse();
				assertThat(open.reason()).doesNotContain("reported");
				regions.proxy("east").pass();
				linkB.pass();
				await().atMost(Duration.ofSeconds(20)).until(() -> regionsA.get("east").state() == RegionState.UP
						&& regionsB.get("east").state() == RegionState.UP);
			}));
		}
	}

	@Test
	void maintenanceOfflinePropagatesAndOnlineIsConfirmedByEachInstance() {
		try (ChaosProxy linkB = ChaosProxy.start("east-b", regions.get("east").port())) {
			instance(regions.proxy("east")).run((a) -> instance(linkB).run((b) -> {
				Regions regionsA = a.getBean(Regions.class);
				Regions regionsB = b.getBean(Regions.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> regionsA.get("west").state() == RegionState.UP
						&& regionsB.get("west").state() == RegionState.UP);
				RegionRecovery recoveryA = a.getBean(RegionRecovery.class);
				recoveryA.takeOffline(regionsA.get("west"), "maintenance");
				// The log hears a change on the region's events thread, after the state moved: wait for it.
				StateLog logB = b.getBean(StateLog.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> regionsB.get("west").state() == RegionState.OFFLINE && !logB.afterFirstUp("west").isEmpty());
				assertThat(logB.afterFirstUp("west").get(0).remote()).isTrue();
				// An instance that starts during the maintenance applies it from the stored status.
				instance(regions.proxy("east")).run((c) -> assertThat(c.getBean(Regions.class).get("west").state()).isEqualTo(RegionState.OFFLINE));
				assertThat(recoveryA.bringOnline(regionsA.get("west"), "maintenance over")).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
				await().atMost(Duration.ofSeconds(10)).until(() -> regionsB.get("west").state() == RegionState.UP && logB.afterFirstUp("west").size() >= 4);
				assertThat(logB.afterFirstUp("west")).extracting(RegionStateChange::to)
					.containsExactly(RegionState.OFFLINE, RegionState.OPEN, RegionState.RECOVERING, RegionState.UP);
			}));
		}
	}

	@Test
	void anInstanceThatCouldNotReadTheStoredStatusAtStartAppliesItOnceItCan() {
		try (ChaosProxy linkC = ChaosProxy.start("east-c", regions.get("east").port())) {
			instance(regions.proxy("east")).run((a) -> {
				Regions regionsA = a.getBean(Regions.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(regionsA));
				RegionRecovery recoveryA = a.getBean(RegionRecovery.class);
				recoveryA.takeOffline(regionsA.get("west"), "maintenance");
				String statusKey = regionsA.keys().statusKey("west");
				await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("east").command("GET", statusKey) != null);
				// C starts cut from east, where west's status is stored: west reaches it and serves for now.
				linkC.partition();
				instance(linkC).run((c) -> {
					Regions regionsC = c.getBean(Regions.class);
					RegionStatusBroadcaster broadcasterC = c.getBean(RegionStatusBroadcaster.class);
					assertThat(broadcasterC.storedStatusesRead()).isFalse();
					await().atMost(Duration.ofSeconds(10)).until(() -> regionsC.get("west").state() == RegionState.UP);
					// Once east answers, C reads the stored status and takes west out of service as well.
					linkC.pass();
					await().atMost(Duration.ofSeconds(15)).until(() -> regionsC.get("west").state() == RegionState.OFFLINE);
					assertThat(broadcasterC.storedStatusesRead()).isTrue();
				});
				assertThat(recoveryA.bringOnline(regionsA.get("west"), "maintenance over")).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
			});
		}
	}

}
