package io.github.resilientcache.sample.demo;

import java.time.Duration;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import io.github.resilientcache.sample.support.RegionControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import static org.awaitility.Awaitility.await;

/**
 * The demo's region controls and load generator, over HTTP: what they answer, and the problems
 * they give for requests that cannot work.
 */
@PaymentAppTest
class DemoApiTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Regions regions;

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
	void listsRegionsWithTheirServers() {
		this.api.get("/demo/regions").expectStatus().isOk().expectBody()
			.jsonPath("$[0].name").isEqualTo("east")
			.jsonPath("$[0].local").isEqualTo(true)
			.jsonPath("$[0].state").isEqualTo("UP")
			.jsonPath("$[0].server").isEqualTo("RUNNING")
			.jsonPath("$[1].name").isEqualTo("west")
			.jsonPath("$[1].server").isEqualTo("RUNNING");
	}

	@Test
	void hangAnswersWithTheHungServer() {
		this.api.post("/demo/regions/west/hang").expectStatus().isOk().expectBody()
			.jsonPath("$.name").isEqualTo("west")
			.jsonPath("$.server").isEqualTo("HUNG");
		this.api.post("/demo/regions/west/restore").expectStatus().isOk().expectBody().jsonPath("$.server").isEqualTo("RUNNING");
	}

	@Test
	void hangingAStoppedRegionIsConflict() {
		this.api.post("/demo/regions/west/stop").expectStatus().isOk().expectBody().jsonPath("$.server").isEqualTo("STOPPED");
		this.api.post("/demo/regions/west/hang").expectStatus().isEqualTo(409)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.detail").isEqualTo("The Redis server of region 'west' is STOPPED: restore it before hanging it.");
	}

	@Test
	void unknownRegionIsNotFound() {
		this.api.post("/demo/regions/north/stop").expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.detail").isEqualTo("No region named 'north'; regions are [east, west].");
	}

	@Test
	void loadRunReportsItsFiguresAndRefusesASecondOneMeanwhile() {
		this.api.post("/demo/load?rate=40&seconds=2").expectStatus().isAccepted().expectBody()
			.jsonPath("$.state").isEqualTo("RUNNING")
			.jsonPath("$.rate").isEqualTo(40);
		this.api.post("/demo/load?rate=40&seconds=2").expectStatus().isEqualTo(409)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> this.api.get("/demo/load").expectStatus().isOk().expectBody()
			.jsonPath("$.state").isEqualTo("FINISHED"));
		this.api.get("/demo/load").expectBody()
			.jsonPath("$.errors").isEqualTo(0)
			.jsonPath("$.inFlight").isEqualTo(0)
			.jsonPath("$.latency.p99").isNumber()
			.jsonPath("$.sent").value((Integer sent) -> org.assertj.core.api.Assertions.assertThat(sent).isBetween(50, 80));
	}

	@Test
	void stoppedRunKeepsItsFigures() {
		this.api.post("/demo/load?rate=20&seconds=60").expectStatus().isAccepted();
		this.api.client().delete().uri("/demo/load").exchange().expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("STOPPED");
		this.api.get("/demo/load").expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("STOPPED");
	}

	@Test
	void invalidRateIsBadRequest() {
		this.api.post("/demo/load?rate=0&seconds=10").expectStatus().isBadRequest()
			.expectBody().jsonPath("$.detail").isEqualTo("Invalid request: rate must be 1 to 2000 payments per second.");
		this.api.post("/demo/load?rate=10&seconds=100000").expectStatus().isBadRequest()
			.expectBody().jsonPath("$.detail").isEqualTo("Invalid request: seconds must be 1 to 3600.");
	}

}
