package io.github.resilientcache.actuate;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet view over real HTTP in a web application: {@code /actuator/resilientcache/fleet} and
 * the {@code fleet} events of the region event stream, with each cell's latency and calls per
 * second read from the cache's latency timers.
 */
class FleetWebTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void servesTheFleetMatrixOnTheEndpointAndTheStream() throws Exception {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east", "resilient-cache.fleet.enabled=true",
				"resilient-cache.fleet.interval=200ms", "resilient-cache.fleet.leader-lease=1s", "resilient-cache.fleet.stale-after=2s",
				"management.metrics.distribution.slo.resilient.cache.latency=1ms,2ms,5ms,10ms,50ms,100ms,500ms,1s")) {
			Http http = new Http(WebApplications.baseUrl(context));
			String instance = context.getBean(FleetTelemetry.class).instanceId();
			// The first requests of a cold server on a starved machine can outlast the client's timeout: not ready yet.
			await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(UncheckedIOException.class).until(() -> {
				Http.Response response = http.get("/actuator/resilientcache/fleet");
				return response.status() == 200 && response.body().contains("\"instance\":\"" + instance + "\"")
						&& response.body().contains("\"state\":\"UP\"") && !response.body().contains("\"state\":\"OPEN\"");
			});
			assertThat(http.get("/actuator/resilientcache/fleet").body()).contains("\"regions\":[\"east\",\"west\"]", "\"stale\":false");
			assertThat(http.get("/actuator/resilientcache/east").body()).contains("\"state\":\"UP\"");
			AccountService accounts = context.getBean(AccountService.class);
			try (SseClient stream = SseClient.connect(http, "/resilient-cache/stream")) {
				await().atMost(Duration.ofSeconds(10)).until(() -> !stream.events("fleet").isEmpty());
				SseClient.Event first = stream.events("fleet").get(0);
				assertThat(first.<String>json("$.instances[0].instance")).isEqualTo(instance);
				assertThat(first.<String>json("$.instances[0].regions.west.state")).isEqualTo("UP");
				// Reads answered by east: its cell shows their rate and 99th percentile (a bucket of the SLOs above).
				await().atMost(Duration.ofSeconds(20)).until(() -> {
					for (int i = 0; i < 20; i++) {
						accounts.find("fleet-web-" + i);
					}
					List<SseClient.Event> events = stream.events("fleet");
					SseClient.Event last = events.get(events.size() - 1);
					return number(last, "$.instances[0].regions.east.callsPerSecond") > 0
							&& List.of(1.0, 2.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0).contains(number(last, "$.instances[0].regions.east.p99Millis"));
				});
			}
			assertThat(http.get("/actuator/resilientcache/fleet").body()).contains("\"p99Millis\":", "\"callsPerSecond\":");
		}
	}

	private static double number(SseClient.Event event, String path) {
		return event.<Number>json(path).doubleValue();
	}

}
