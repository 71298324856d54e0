package io.github.resilientcache.actuate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live region event stream over real HTTP, read line by line with the JDK's HTTP client while
 * a real Redis server is stopped and started.
 */
class RegionEventStreamTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void sendsASnapshotThenEveryStateChangeInOrderAndRates() throws Exception {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east")) {
			Http http = new Http(WebApplications.baseUrl(context));
			AccountService service = context.getBean(AccountService.class);
			try (SseClient stream = SseClient.connect(http, "/resilient-cache/stream")) {
				assertThat(stream.status()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(5)).until(() -> !stream.events().isEmpty());
				SseClient.Event snapshot = stream.events().get(0);
				assertThat(snapshot.name()).isEqualTo("snapshot");
				assertThat(snapshot.<String>json("$.east.state")).isEqualTo("UP");
				assertThat(snapshot.<String>json("$.west.state")).isEqualTo("UP");
				regions.get("west").stop();
				await().atMost(Duration.ofSeconds(10)).until(() -> {
					service.setBalance("s1", BigDecimal.ONE);
					return !stream.events("region-state").isEmpty();
				});
				regions.get("west").start();
				await().atMost(Duration.ofSeconds(15)).until(() -> transitions(stream).contains("west RECOVERING->UP"));
				assertThat(transitions(stream)).containsExactly("west UP->OPEN", "west OPEN->RECOVERING", "west RECOVERING->UP");
				// Rates are periodic: one sent before the transition still says OPEN; a later one says UP.
				await().atMost(Duration.ofSeconds(5)).until(() -> !stream.events("rates").isEmpty()
						&& "UP".equals(stream.events("rates").get(stream.events("rates").size() - 1).<String>json("$.regions.west.state")));
				SseClient.Event rates = stream.events("rates").get(stream.events("rates").size() - 1);
				stream.events().stream().filter((event) -> !event.name().equals("rates")).forEach((event) ->
						System.out.println("[example] stream event: " + event.name() + " " + event.data()));
				System.out.println("[example] stream event: rates " + rates.data());
				assertThat(String.join("\n", stream.events().stream().map(SseClient.Event::data).toList())).doesNotContain("<address>");
			}
		}
	}

	@Test
	void answers503PastTheSubscriberBound() throws Exception {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east", "resilient-cache.stream.max-subscribers=1")) {
			Http http = new Http(WebApplications.baseUrl(context));
			try (SseClient first = SseClient.connect(http, "/resilient-cache/stream");
					SseClient second = SseClient.connect(http, "/resilient-cache/stream")) {
				assertThat(first.status()).isEqualTo(200);
				assertThat(second.status()).isEqualTo(503);
				await().atMost(Duration.ofSeconds(5)).until(second::ended);
				assertThat(second.events("error")).singleElement()
					.satisfies((event) -> assertThat(event.data()).contains("resilient-cache.stream.max-subscribers=1"));
			}
		}
	}

	@Test
	void oneClientAddressCannotHoldMoreThanItsSlots() throws Exception {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east", "resilient-cache.stream.max-subscribers-per-client=2")) {
			Http http = new Http(WebApplications.baseUrl(context));
			try (SseClient first = SseClient.connect(http, "/resilient-cache/stream");
					SseClient second = SseClient.connect(http, "/resilient-cache/stream");
					SseClient third = SseClient.connect(http, "/resilient-cache/stream")) {
				assertThat(first.status()).isEqualTo(200);
				assertThat(second.status()).isEqualTo(200);
				assertThat(third.status()).isEqualTo(503);
				await().atMost(Duration.ofSeconds(5)).until(third::ended);
				assertThat(third.events("error")).singleElement()
					.satisfies((event) -> assertThat(event.data()).contains("resilient-cache.stream.max-subscribers-per-client=2"));
				RegionEventStream stream = context.getBean(RegionEventStream.class);
				assertThat(stream.subscribe("192.0.2.7")).as("another client address still gets a slot").isNotNull();
			}
		}
	}

	@Test
	void aSubscriptionTimesOutAndFreesItsSlot() throws Exception {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east", "resilient-cache.stream.timeout=1s",
				"resilient-cache.stream.max-subscribers=1")) {
			Http http = new Http(WebApplications.baseUrl(context));
			RegionEventStream stream = context.getBean(RegionEventStream.class);
			try (SseClient first = SseClient.connect(http, "/resilient-cache/stream")) {
				assertThat(first.status()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(10)).until(first::ended);
				await().atMost(Duration.ofSeconds(5)).until(() -> stream.subscribers() == 0);
			}
			try (SseClient again = SseClient.connect(http, "/resilient-cache/stream")) {
				assertThat(again.status()).isEqualTo(200);
			}
		}
	}

	@Test
	void completesClientsWhenTheApplicationStops() throws Exception {
		ConfigurableApplicationContext context = WebApplications.start(regions, "east");
		Http http = new Http(WebApplications.baseUrl(context));
		try (SseClient stream = SseClient.connect(http, "/resilient-cache/stream")) {
			await().atMost(Duration.ofSeconds(5)).until(() -> !stream.events().isEmpty());
			long closing = System.nanoTime();
			context.close();
			await().atMost(Duration.ofSeconds(5)).until(stream::ended);
			assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void isServedAtTheConfiguredPathOnly() throws Exception {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east", "resilient-cache.stream.path=/ops/regions")) {
			Http http = new Http(WebApplications.baseUrl(context));
			try (SseClient stream = SseClient.connect(http, "/ops/regions")) {
				assertThat(stream.status()).isEqualTo(200);
			}
			assertThat(http.get("/resilient-cache/stream").status()).isEqualTo(404);
		}
	}

	private static List<String> transitions(SseClient stream) {
		return stream.events("region-state").stream()
			.map((event) -> event.<String>json("$.region") + " " + event.<String>json("$.from") + "->" + event.<String>json("$.to"))
			.toList();
	}

}
