package io.github.resilientcache.sample;

import java.net.URI;
import java.time.Duration;

import io.github.resilientcache.sample.sor.SystemOfRecordReads;
import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import io.github.resilientcache.test.RespClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a newcomer runs it: no configuration, so one embedded Redis server per region, an
 * embedded database with the demo data, and the API on a real server.
 */
@PaymentAppTest
class SamplePaymentApplicationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private SystemOfRecordReads reads;

	@Autowired
	private Environment environment;

	private PaymentsApi api;

	@BeforeEach
	void createClient() {
		this.api = new PaymentsApi(this.port);
	}

	@Test
	void startsWithEmbeddedRegionsAndTheDemoProfile() {
		assertThat(this.environment.getActiveProfiles()).containsExactly("demo");
		assertThat(this.environment.getProperty("server.address")).as("the demo listens on loopback only").isEqualTo("127.0.0.1");
		assertThat(this.environment.getProperty("resilient-cache.local-region")).isEqualTo("east");
		String east = this.environment.getProperty("resilient-cache.regions.east.address");
		String west = this.environment.getProperty("resilient-cache.regions.west.address");
		assertThat(east).matches("redis://127\\.0\\.0\\.1:\\d+");
		assertThat(west).matches("redis://127\\.0\\.0\\.1:\\d+").isNotEqualTo(east);
		assertThat(redis(east, "PING")).isEqualTo("PONG");
		assertThat(redis(west, "PING")).isEqualTo("PONG");
	}

	@Test
	void healthShowsTheDatabaseAndEveryRegion() {
		this.api.get("/actuator/health").expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.db.status").isEqualTo("UP")
			.jsonPath("$.components.resilientCache.status").isEqualTo("UP")
			.jsonPath("$.components.resilientCache.details.localRegion").isEqualTo("east")
			.jsonPath("$.components.resilientCache.details.regions.east.state").isEqualTo("UP")
			.jsonPath("$.components.resilientCache.details.regions.west.state").isEqualTo("UP")
			.jsonPath("$.components.resilientCache.details.regions.east.breaker").isEqualTo("CLOSED");
	}

	@Test
	void seededAccountIsServedAndItsSecondReadComesFromTheCache() {
		this.api.get("/accounts/ACC-1006").expectStatus().isOk()
			.expectBody()
			.jsonPath("$.holder").isEqualTo("Barbara Liskov")
			.jsonPath("$.currency").isEqualTo("CHF")
			.jsonPath("$.cardStatus").isEqualTo("ACTIVE");
		long accountReads = this.reads.count("account");
		long balanceReads = this.reads.count("balance");
		this.api.get("/accounts/ACC-1006").expectStatus().isOk();
		assertThat(this.reads.count("account")).as("account reads of the database").isEqualTo(accountReads);
		assertThat(this.reads.count("balance")).as("balance reads of the database").isEqualTo(balanceReads);
	}

	@Test
	void cachedAccountIsReplicatedToEveryRegion() {
		// The key prefix is the application's name (spring.application.name).
		this.api.get("/accounts/ACC-1004").expectStatus().isOk();
		for (String region : new String[] { "east", "west" }) {
			String address = this.environment.getProperty("resilient-cache.regions." + region + ".address");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(redis(address, "EXISTS", "sample-payment-app:accounts::ACC-1004")).as(region).isEqualTo(1L));
		}
	}

	@Test
	void unknownAccountIsNotFoundProblem() {
		this.api.get("/accounts/ACC-0000").expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.title").isEqualTo("Account not found")
			.jsonPath("$.detail").isEqualTo("No account with id 'ACC-0000'.")
			.jsonPath("$.instance").isEqualTo("/accounts/ACC-0000");
	}

	private static Object redis(String address, String... command) {
		URI uri = URI.create(address);
		try (RespClient redis = RespClient.connect(uri.getHost(), uri.getPort(), Duration.ofSeconds(2))) {
			return redis.command(command);
		}
	}

}
