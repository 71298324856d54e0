package io.github.resilientcache.sample;

import io.github.resilientcache.actuate.RegionEventStream;
import io.github.resilientcache.sample.demo.DemoRegionController;
import io.github.resilientcache.sample.demo.LoadController;
import io.github.resilientcache.sample.support.PaymentsApi;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No profile named: the embedded setup serves payments, but the demo's controls, the live stream,
 * the endpoint's write operations and the health details are all off, since they are opt-in
 * through the {@code demo} profile.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DefaultProfileTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private Environment environment;

	@Test
	void startsWithoutTheDemo() {
		assertThat(this.environment.getActiveProfiles()).isEmpty();
		assertThat(this.environment.matchesProfiles("demo")).isFalse();
		assertThat(this.context.getBeanNamesForType(DemoRegionController.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(LoadController.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(RegionEventStream.class)).isEmpty();
	}

	@Test
	void servesTheApiButNoDemoControlsStreamOrHealthDetails() {
		PaymentsApi api = new PaymentsApi(this.port);
		api.get("/accounts/ACC-1006").expectStatus().isOk();
		api.get("/actuator/health").expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components").doesNotExist();
		api.get("/demo/regions").expectStatus().isNotFound();
		api.get("/resilient-cache/stream").expectStatus().isNotFound();
		api.get("/actuator/resilientcache").expectStatus().isNotFound();
	}

}
