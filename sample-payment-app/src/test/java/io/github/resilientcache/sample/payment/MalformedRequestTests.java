package io.github.resilientcache.sample.payment;

import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Requests a client got wrong get an RFC 9457 problem that says what is wrong: 400 for a request
 * that is not valid, 422 for a valid one naming something that does not exist. Never a 500.
 */
@PaymentAppTest
class MalformedRequestTests {

	@LocalServerPort
	private int port;

	private PaymentsApi api;

	@BeforeEach
	void setUp() {
		this.api = new PaymentsApi(this.port);
	}

	@Test
	void missingIdempotencyKeyIsBadRequest() {
		assertProblem(this.api.pay(null, PaymentsApi.body("ACC-1001", "MER-2001", "5.00", "EUR")), 400,
				"Required header 'Idempotency-Key' is not present.");
	}

	@Test
	void invalidIdempotencyKeyIsBadRequest() {
		assertProblem(this.api.pay("not a key!", PaymentsApi.body("ACC-1001", "MER-2001", "5.00", "EUR")), 400,
				"Invalid request: the Idempotency-Key header must be 1 to 100 letters, digits or '.', '_', ':', '-'.");
	}

	@Test
	void negativeAmountIsBadRequest() {
		assertProblem(pay(PaymentsApi.body("ACC-1001", "MER-2001", "-5.00", "EUR")), 400,
				"Invalid request content: amount must be more than zero.");
	}

	@Test
	void unknownCurrencyIsBadRequest() {
		assertProblem(pay(PaymentsApi.body("ACC-1001", "MER-2001", "5.00", "XYZ")), 400,
				"Invalid request content: currency must be an ISO 4217 code such as EUR.");
	}

	@Test
	void tooManyDecimalsForTheCurrencyIsBadRequest() {
		assertProblem(pay(PaymentsApi.body("ACC-1001", "MER-2001", "5.001", "EUR")), 400,
				"Invalid request content: amount 5.001 has more decimals than EUR allows (2).");
	}

	@Test
	void missingFieldsAreBadRequest() {
		pay("{}").expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").value((String detail) -> org.assertj.core.api.Assertions.assertThat(detail)
				.startsWith("Invalid request content: ")
				.contains("accountId is required", "merchantId is required", "amount is required", "currency is required"));
	}

	@Test
	void badJsonIsBadRequest() {
		assertProblem(pay("{\"accountId\": \"ACC-1001\", \"amount\": "), 400,
				"The request body is missing or is not valid JSON of the expected shape.");
	}

	@Test
	void amountThatIsNotANumberIsBadRequest() {
		assertProblem(pay("{\"accountId\":\"ACC-1001\",\"merchantId\":\"MER-2001\",\"amount\":\"lots\",\"currency\":\"EUR\"}"), 400,
				"The request body is missing or is not valid JSON of the expected shape.");
	}

	@Test
	void unknownAccountIsUnprocessable() {
		assertProblem(pay(PaymentsApi.body("ACC-0000", "MER-2001", "5.00", "EUR")), 422, "No account with id 'ACC-0000'.")
			.jsonPath("$.title").isEqualTo("Unknown account")
			.jsonPath("$.accountId").isEqualTo("ACC-0000");
	}

	@Test
	void unknownMerchantIsUnprocessable() {
		assertProblem(pay(PaymentsApi.body("ACC-1001", "MER-0000", "5.00", "EUR")), 422, "No merchant with id 'MER-0000'.")
			.jsonPath("$.title").isEqualTo("Unknown merchant");
	}

	@Test
	void wrongContentTypeIsUnsupportedMediaType() {
		this.api.client().post().uri("/payments").header("Idempotency-Key", PaymentsApi.newKey()).contentType(MediaType.TEXT_PLAIN)
			.body("pay me").exchange()
			.expectStatus().isEqualTo(415)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void invalidLimitIsBadRequest() {
		this.api.client().put().uri("/merchants/MER-2001/limits").contentType(MediaType.APPLICATION_JSON).body("{\"maxPaymentAmount\": -1}")
			.exchange().expectStatus().isBadRequest()
			.expectBody().jsonPath("$.detail").isEqualTo("Invalid request content: maxPaymentAmount must be more than zero.");
	}

	@Test
	void unknownMerchantLimitIsNotFound() {
		this.api.client().put().uri("/merchants/MER-0000/limits").contentType(MediaType.APPLICATION_JSON).body("{\"maxPaymentAmount\": 10}")
			.exchange().expectStatus().isNotFound()
			.expectBody().jsonPath("$.title").isEqualTo("Merchant not found");
	}

	@Test
	void blockingAnUnknownCardIsNotFound() {
		this.api.post("/accounts/ACC-0000/card/block").expectStatus().isNotFound()
			.expectBody().jsonPath("$.title").isEqualTo("Account not found");
	}

	private RestTestClient.ResponseSpec pay(String json) {
		return this.api.pay(PaymentsApi.newKey(), json);
	}

	private static RestTestClient.BodyContentSpec assertProblem(RestTestClient.ResponseSpec response, int status, String detail) {
		return response.expectStatus().isEqualTo(status)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(status)
			.jsonPath("$.detail").isEqualTo(detail)
			.jsonPath("$.instance").isEqualTo("/payments");
	}

}
