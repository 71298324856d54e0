package io.github.resilientcache.actuate;

import java.time.Duration;

import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.test.RedisRegions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet view over real HTTP in a web application: {@code /actuator/resilientcache/fleet} and
 * the {@code fleet} events of the region event stream.
 */
class FleetWebTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void servesTheFleetMatrixOnTheEndpointAndTheStream() throws Exception {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east", "resilient-cache.fleet.enabled=true",
				"resilient-cache.fleet.interval=200ms", "resilient-cache.fleet.leader-lease=1s", "resilient-cache.fleet.stale-after=2s")) {
			Http http = new Http(WebApplications.baseUrl(context));
			String instance = context.getBean(FleetTelemetry.class).instanceId();
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				Http.Response response = http.get("/actuator/resilientcache/fleet");
				return response.status() == 200 && response.body().contains("\"instance\":\"" + instance + "\"")
						&& response.body().contains("\"state\":\"UP\"") && !response.body().contains("\"state\":\"OPEN\"");
			});
			assertThat(http.get("/actuator/resilientcache/fleet").body()).contains("\"regions\":[\"east\",\"west\"]", "\"stale\":false");
			assertThat(http.get("/actuator/resilientcache/east").body()).contains("\"state\":\"UP\"");
			try (SseClient stream = SseClient.connect(http, "/resilient-cache/stream")) {
				await().atMost(Duration.ofSeconds(10)).until(() -> !stream.events("fleet").isEmpty());
				SseClient.Event fleet = stream.events("fleet").get(0);
				assertThat(fleet.<String>json("$.instances[0].instance")).isEqualTo(instance);
				assertThat(fleet.<String>json("$.instances[0].regions.west.state")).isEqualTo("UP");
			}
		}
	}

}
