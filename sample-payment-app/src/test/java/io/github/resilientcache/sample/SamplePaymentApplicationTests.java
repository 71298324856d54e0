package io.github.resilientcache.sample;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;

import io.github.resilientcache.sample.account.Account;
import io.github.resilientcache.sample.account.AccountRecords;
import io.github.resilientcache.test.RespClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a newcomer runs it: no configuration, so one embedded Redis server per region,
 * and the account API on a real server. Each test uses its own account, so that the order of the
 * tests does not matter.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.port=0")
class SamplePaymentApplicationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private AccountRecords records;

	@Autowired
	private Environment environment;

	private RestTestClient client;

	@BeforeEach
	void createClient() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void startsWithEmbeddedRegions() {
		assertThat(this.environment.getProperty("resilient-cache.local-region")).isEqualTo("east");
		String east = this.environment.getProperty("resilient-cache.regions.east.address");
		String west = this.environment.getProperty("resilient-cache.regions.west.address");
		assertThat(east).matches("redis://127\\.0\\.0\\.1:\\d+");
		assertThat(west).matches("redis://127\\.0\\.0\\.1:\\d+").isNotEqualTo(east);
		assertThat(redis(east, "PING")).isEqualTo("PONG");
		assertThat(redis(west, "PING")).isEqualTo("PONG");
	}

	@Test
	void healthShowsTheBreakerOfEachRegion() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.circuitBreakers.details.resilient-cache-east.details.state").isEqualTo("CLOSED")
			.jsonPath("$.components.circuitBreakers.details.resilient-cache-west.details.state").isEqualTo("CLOSED")
			// The starter's default, kept although the instance has properties of its own.
			.jsonPath("$.components.circuitBreakers.details.resilient-cache-east.details.slowCallRateThreshold").isEqualTo("80.0%");
	}

	@Test
	void secondReadIsServedFromTheCache() {
		Account first = getAccount("ACC-1001");
		long readsAfterFirst = this.records.reads();
		Account second = getAccount("ACC-1001");
		assertThat(second).isEqualTo(first);
		assertThat(this.records.reads()).as("reads of the system of record").isEqualTo(readsAfterFirst);
	}

	@Test
	void cachedAccountIsReplicatedToEveryRegion() {
		getAccount("ACC-1004");
		for (String region : new String[] { "east", "west" }) {
			String address = this.environment.getProperty("resilient-cache.regions." + region + ".address");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(redis(address, "EXISTS", "rc:accounts::ACC-1004")).as(region).isEqualTo(1L));
		}
	}

	@Test
	void blockingTheCardEvictsTheCachedAccount() {
		assertThat(getAccount("ACC-1002").cardBlocked()).isFalse();
		this.client.post().uri("/accounts/ACC-1002/block").exchange().expectStatus().isOk();
		assertThat(getAccount("ACC-1002").cardBlocked()).isTrue();
	}

	@Test
	void balanceUpdateWritesTheNewAccountToTheCache() {
		getAccount("ACC-1003");
		putBalance("ACC-1003", "{\"amount\": 42.50}").expectStatus().isOk();
		long readsAfterUpdate = this.records.reads();
		assertThat(getAccount("ACC-1003").balance()).isEqualByComparingTo(new BigDecimal("42.50"));
		assertThat(this.records.reads()).as("reads of the system of record").isEqualTo(readsAfterUpdate);
	}

	@Test
	void negativeBalanceIsBadRequestProblem() {
		putBalance("ACC-1003", "{\"amount\": -5}").expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").isEqualTo("Invalid request content: amount must be zero or more.");
	}

	@Test
	void missingAmountIsBadRequestProblem() {
		putBalance("ACC-1003", "{}").expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").isEqualTo("Invalid request content: amount is required.");
	}

	@Test
	void malformedBodyIsBadRequestProblem() {
		putBalance("ACC-1003", "{\"amount\": \"lots\"}").expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").isEqualTo("The request body is missing or is not valid JSON of the expected shape.");
	}

	@Test
	void unknownAccountIsNotFoundProblem() {
		this.client.get().uri("/accounts/ACC-0000").exchange().expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.title").isEqualTo("Account not found")
			.jsonPath("$.detail").isEqualTo("No account with id 'ACC-0000'.")
			.jsonPath("$.instance").isEqualTo("/accounts/ACC-0000");
	}

	private Account getAccount(String id) {
		return this.client.get().uri("/accounts/{id}", id).exchange().expectStatus().isOk().expectBody(Account.class)
			.returnResult().getResponseBody();
	}

	private RestTestClient.ResponseSpec putBalance(String id, String json) {
		return this.client.put().uri("/accounts/{id}/balance", id).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	private static Object redis(String address, String... command) {
		URI uri = URI.create(address);
		try (RespClient redis = RespClient.connect(uri.getHost(), uri.getPort(), Duration.ofSeconds(2))) {
			return redis.command(command);
		}
	}

}
