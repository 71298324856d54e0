package io.github.resilientcache.actuate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code resilientCache} health component over real HTTP, against a running application and
 * real Redis servers that are stopped and started.
 */
class ResilientCacheHealthIndicatorTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void everyRegionUpIsUpWithDetailsAndNoAddress() {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east")) {
			Http http = new Http(WebApplications.baseUrl(context));
			context.getBean(AccountService.class).find("a1");
			Http.Response health = http.get("/actuator/health");
			System.out.println("[example] health, every region up: " + health.body());
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.<String>json("$.status")).isEqualTo("UP");
			assertThat(health.<String>json("$.components.resilientCache.status")).isEqualTo("UP");
			assertThat(health.<String>json("$.components.resilientCache.details.localRegion")).isEqualTo("east");
			for (String region : regions.names()) {
				String details = "$.components.resilientCache.details.regions." + region;
				assertThat(health.<String>json(details + ".state")).isEqualTo("UP");
				assertThat(health.<String>json(details + ".breaker")).isEqualTo("CLOSED");
				assertThat(health.<Boolean>json(details + ".local")).isEqualTo(region.equals("east"));
				assertThat(health.<Integer>json(details + ".journalDepth")).isZero();
			}
			for (String region : regions.names()) {
				assertThat(health.body()).doesNotContain(Integer.toString(regions.get(region).port()));
			}
			assertThat(health.body()).doesNotContain("127.0.0.1").doesNotContain("redis://");
		}
	}

	@Test
	void stoppedRemoteRegionIsOpenWhileTheStatusStaysUp() {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east")) {
			Http http = new Http(WebApplications.baseUrl(context));
			AccountService service = context.getBean(AccountService.class);
			regions.get("west").stop();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				// Writes replicate to west, whose breaker opens on their failures.
				service.setBalance("w1", BigDecimal.ONE);
				Http.Response health = http.get("/actuator/health/resilientCache");
				assertThat(health.<String>json("$.details.regions.west.state")).isEqualTo("OPEN");
				// A probe publishes the state before the breaker follows it: wait for both.
				assertThat(health.<String>json("$.details.regions.west.breaker")).isEqualTo("OPEN");
			});
			Http.Response health = http.get("/actuator/health");
			System.out.println("[example] health, remote region down: " + health.body());
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.<String>json("$.components.resilientCache.status")).isEqualTo("UP");
			assertThat(health.<String>json("$.components.resilientCache.details.regions.east.state")).isEqualTo("UP");
			// A reason names the server that failed (credentials are removed: RedactionTests).
			assertThat(health.body()).doesNotContain("<address>");
		}
	}

	@Test
	void stoppedLocalRegionIsDegradedWithHttp200UntilItIsBack() {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east")) {
			Http http = new Http(WebApplications.baseUrl(context));
			AccountService service = context.getBean(AccountService.class);
			for (int i = 0; i < 10; i++) {
				service.find("d" + i);
			}
			regions.get("east").stop();
			long stopped = System.nanoTime();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
				service.find("d" + (System.nanoTime() % 10));
				assertThat(http.get("/actuator/health").<String>json("$.status")).isEqualTo("DEGRADED");
			});
			long degradedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
			System.out.printf("[figure] local region stopped -> health DEGRADED: %d ms%n", degradedMillis);
			Http.Response health = http.get("/actuator/health");
			System.out.println("[example] health, local region down: " + health.body());
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.<String>json("$.components.resilientCache.status")).isEqualTo("DEGRADED");
			assertThat(health.<String>json("$.components.resilientCache.details.regions.east.state")).isEqualTo("OPEN");
			assertThat(health.<String>json("$.components.resilientCache.details.regions.west.state")).isEqualTo("UP");
			// A reason names the server that failed (credentials are removed: RedactionTests).
			assertThat(health.body()).doesNotContain("<address>");
			Http.Response readiness = http.get("/actuator/health/readiness");
			assertThat(readiness.status()).as("not in the readiness group by default").isEqualTo(200);
			assertThat(readiness.<String>json("$.status")).isEqualTo("UP");
			regions.get("east").start();
			long restarted = System.nanoTime();
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(http.get("/actuator/health").<String>json("$.status")).isEqualTo("UP"));
			System.out.printf("[figure] local region restarted -> health UP: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
			health = http.get("/actuator/health/resilientCache");
			assertThat(health.<Boolean>json("$.details.regions.east.lastProbe.success")).isTrue();
		}
	}

	@Test
	void noRegionServingIsDownWithHttp503AndFailsReadinessWhenIncluded() {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east",
				"management.endpoint.health.group.readiness.include=readinessState,resilientCache")) {
			Http http = new Http(WebApplications.baseUrl(context));
			AccountService service = context.getBean(AccountService.class);
			regions.get("east").stop();
			regions.get("west").stop();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
				service.find("n1");
				assertThat(http.get("/actuator/health").<String>json("$.status")).isEqualTo("DOWN");
			});
			assertThat(http.get("/actuator/health").status()).isEqualTo(503);
			assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(503);
		}
	}

}
