package io.github.resilientcache.sample.support;

import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The payment service's HTTP API, as a client sees it.
 */
public final class PaymentsApi {

	private final RestTestClient client;

	public PaymentsApi(int port) {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
	}

	public RestTestClient client() {
		return this.client;
	}

	/**
	 * {@code POST /payments}.
	 * @param idempotencyKey the key, null to send none
	 * @param json the body
	 * @return the response
	 */
	public RestTestClient.ResponseSpec pay(String idempotencyKey, String json) {
		RestTestClient.RequestBodySpec request = this.client.post().uri("/payments").contentType(MediaType.APPLICATION_JSON);
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return request.body(json).exchange();
	}

	/**
	 * Pays with a fresh Idempotency-Key.
	 * @param account the account id
	 * @param merchant the merchant id
	 * @param amount the amount
	 * @param currency the currency code
	 * @return the response
	 */
	public RestTestClient.ResponseSpec pay(String account, String merchant, String amount, String currency) {
		return pay(newKey(), body(account, merchant, amount, currency));
	}

	public static String body(String account, String merchant, String amount, String currency) {
		return "{\"accountId\":\"" + account + "\",\"merchantId\":\"" + merchant + "\",\"amount\":" + amount + ",\"currency\":\""
				+ currency + "\"}";
	}

	public static String newKey() {
		return "test-" + UUID.randomUUID();
	}

	public RestTestClient.ResponseSpec post(String uri) {
		return this.client.post().uri(uri).exchange();
	}

	public RestTestClient.ResponseSpec get(String uri) {
		return this.client.get().uri(uri).exchange();
	}

}
