package io.github.resilientcache.actuate;

import java.math.BigDecimal;
import java.time.Duration;

import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code resilientcache} endpoint over real HTTP: reads, maintenance and reconciliation.
 */
class ResilientCacheEndpointTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void readsRegionsCachesAndReplicationAndOneRegionAndAnswers404ForAnUnknownOne() {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east")) {
			Http http = new Http(WebApplications.baseUrl(context));
			AccountService service = context.getBean(AccountService.class);
			service.find("r1");
			service.find("r1");
			service.setBalance("r1", BigDecimal.TEN);
			await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/actuator/resilientcache").<Integer>json("$.replication.completed") >= 2);
			Http.Response all = http.get("/actuator/resilientcache");
			System.out.println("[example] GET /actuator/resilientcache: " + all.body());
			assertThat(all.status()).isEqualTo(200);
			assertThat(all.<String>json("$.localRegion")).isEqualTo("east");
			assertThat(all.<String>json("$.regions.east.state")).isEqualTo("UP");
			assertThat(all.<String>json("$.regions.west.state")).isEqualTo("UP");
			assertThat(all.<Integer>json("$.caches.accounts.hits")).isEqualTo(1);
			assertThat(all.<Integer>json("$.caches.accounts.misses")).isEqualTo(1);
			assertThat(all.<String>json("$.caches.accounts.replication")).isEqualTo("ASYNC");
			assertThat(all.<Integer>json("$.caches.accounts.shortfalls")).isZero();
			assertThat(all.<String>json("$.replication.mode")).isEqualTo("ASYNC");
			Http.Response west = http.get("/actuator/resilientcache/west");
			assertThat(west.status()).isEqualTo(200);
			assertThat(west.<String>json("$.state")).isEqualTo("UP");
			assertThat(west.<Boolean>json("$.local")).isFalse();
			assertThat(http.get("/actuator/resilientcache/north").status()).isEqualTo(404);
		}
	}

	@Test
	void takesARegionOfflineAndBringsItBackOnline() {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east")) {
			Http http = new Http(WebApplications.baseUrl(context));
			AccountService service = context.getBean(AccountService.class);
			service.find("m1");
			Http.Response offline = http.post("/actuator/resilientcache/west", "{\"action\":\"offline\"}");
			System.out.println("[example] POST /actuator/resilientcache/west offline: " + offline.body());
			assertThat(offline.status()).isEqualTo(200);
			assertThat(offline.<String>json("$.state")).isEqualTo("OFFLINE");
			assertThat(http.get("/actuator/health/resilientCache").<String>json("$.details.regions.west.state")).isEqualTo("OFFLINE");
			service.setBalance("m1", new BigDecimal("12.00"));
			assertThat(regions.get("west").command("GET", "rc:accounts::m1")).asString().doesNotContain("12.00");
			Http.Response online = http.post("/actuator/resilientcache/west", "{\"action\":\"online\"}");
			System.out.println("[example] POST /actuator/resilientcache/west online: " + online.body());
			assertThat(online.status()).isEqualTo(200);
			assertThat(online.<String>json("$.state")).isEqualTo("UP");
			assertThat(online.<String>json("$.lastReplay")).contains("keys replayed").contains("0 failed");
			assertThat(http.get("/actuator/health/resilientCache").<String>json("$.details.regions.west.state")).isEqualTo("UP");
			assertThat(regions.get("west").command("GET", "rc:accounts::m1")).asString().contains("12.00");
		}
	}

	@Test
	void rejectsAnUnknownActionOrRegion() {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east")) {
			Http http = new Http(WebApplications.baseUrl(context));
			assertThat(http.post("/actuator/resilientcache/west", "{\"action\":\"reboot\"}").status()).isEqualTo(400);
			assertThat(http.post("/actuator/resilientcache/north", "{\"action\":\"offline\"}").status()).isEqualTo(400);
			assertThat(http.get("/actuator/resilientcache/west").<String>json("$.state")).isEqualTo("UP");
		}
	}

	@Test
	void runsReconciliationNow() {
		try (ConfigurableApplicationContext context = WebApplications.start(regions, "east")) {
			Http http = new Http(WebApplications.baseUrl(context));
			AccountService service = context.getBean(AccountService.class);
			service.find("c1");
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("west").command("EXISTS", "rc:accounts::c1").equals(1L));
			regions.get("west").command("DEL", "rc:accounts::c1");
			Http.Response reconciled = http.post("/actuator/resilientcache", "");
			System.out.println("[example] POST /actuator/resilientcache: " + reconciled.body());
			assertThat(reconciled.status()).isEqualTo(200);
			assertThat(reconciled.<Integer>json("$.divergent")).isEqualTo(1);
			assertThat(reconciled.<Integer>json("$.repaired")).isEqualTo(1);
			assertThat(regions.get("west").command("EXISTS", "rc:accounts::c1")).isEqualTo(1L);
			assertThat(http.get("/actuator/resilientcache").<Integer>json("$.lastReconciliation.repaired")).isEqualTo(1);
			assertThat(http.get("/actuator/health/resilientCache").<Integer>json("$.details.lastReconciliation.divergent")).isEqualTo(1);
		}
	}

}
