package io.github.resilientcache.sample.resilience;

import java.time.Duration;

import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.sample.embedded.EmbeddedRedisRegions;
import io.github.resilientcache.sample.embedded.ServerState;
import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import io.github.resilientcache.sample.support.RegionControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's auto-heal ({@code sample.auto-heal.enabled}): a region's server killed under the sample is restarted by the fleet's
 * recovery action once the fleet has seen it failed for the threshold, and the region fails back
 * by itself; the dashboard's fleet view shows the incident's timeline.
 */
@PaymentAppTest
@TestPropertySource(properties = "sample.auto-heal.enabled=true")
class AutoHealTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Regions regions;

	@Autowired
	private EmbeddedRedisRegions servers;

	@Autowired
	private FleetTelemetry fleet;

	private PaymentsApi api;

	@BeforeEach
	void setUp() {
		this.api = new PaymentsApi(this.port);
	}

	@AfterEach
	void restoreRegions() {
		new RegionControl(this.api, this.regions).restoreAllAndAwaitUp();
	}

	@Test
	void aKilledRegionIsRestartedByTheFleetAndFailsBack() {
		RegionControl control = new RegionControl(this.api, this.regions);
		control.awaitState("west", RegionState.UP, Duration.ofSeconds(30));
		control.stop("west");
		assertThat(this.servers.state("west")).isEqualTo(ServerState.STOPPED);
		control.awaitState("west", RegionState.OPEN, Duration.ofSeconds(10));
		// Nobody restores it: the fleet's action does, after the demo's 10 s threshold.
		await().atMost(Duration.ofSeconds(60)).until(() -> this.servers.state("west") == ServerState.RUNNING);
		control.awaitState("west", RegionState.UP, Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.fleet.timeline().stream()
			.anyMatch((event) -> event.region().equals("west") && event.what().equals("recovered")));
		this.api.get("/actuator/resilientcache/fleet").expectStatus().isOk().expectBody()
			.jsonPath("$.regions[1]").isEqualTo("west")
			.jsonPath("$.incidents.west.phase").isEqualTo("RECOVERED");
	}

}
