package io.github.resilientcache.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.github.resilientcache.fleet.RegionIncident.Observation;
import io.github.resilientcache.fleet.RegionIncident.Phase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The webhook against a real HTTP server of the test: the incident as signed JSON with an
 * idempotency key, retries only for what a retry can fix, and a URL never echoed with its secrets.
 */
class WebhookRecoveryActionTests {

	private static final RegionIncident INCIDENT = new RegionIncident("east-20261202T050000Z-abcd1234", "east", Phase.FAILED,
			Instant.parse("2026-12-02T05:00:00Z"), null, 3,
			List.of(new Observation("host-1-aaaa", "east", "OPEN", Instant.parse("2026-12-02T04:59:30Z"), "OPEN", 100f, "probe failed")));

	private HttpServer server;

	private final Queue<Request> requests = new ConcurrentLinkedQueue<>();

	private final AtomicInteger failuresLeft = new AtomicInteger();

	private volatile int failureStatus = 503;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/hook", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.requests.add(new Request(body, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
					exchange.getRequestHeaders().getFirst("X-Resilient-Cache-Signature")));
			int status = (this.failuresLeft.getAndDecrement() > 0) ? this.failureStatus : 204;
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	private WebhookRecoveryAction action(int retries, String secret) {
		return new WebhookRecoveryAction(URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook"), Duration.ofSeconds(2),
				Duration.ofSeconds(5), retries, Duration.ofMillis(10), secret);
	}

	@Test
	void postsTheIncidentAsSignedJsonWithAnIdempotencyKey() throws Exception {
		action(0, "hook-s3cret").regionFailed(INCIDENT);
		Request request = this.requests.remove();
		assertThat(request.body()).contains("\"event\":\"region-failed\"", "\"id\":\"east-20261202T050000Z-abcd1234\"", "\"host-1-aaaa\"",
				"\"reportingInstances\":3");
		assertThat(request.idempotencyKey()).isEqualTo("east-20261202T050000Z-abcd1234-FAILED");
		assertThat(request.signature()).isEqualTo("sha256=" + new Signer("hook-s3cret").hmacOf(request.body()));
	}

	@Test
	void retriesAnUnavailableReceiverThenSucceeds() throws Exception {
		this.failuresLeft.set(2);
		action(2, null).regionRecovered(INCIDENT);
		assertThat(this.requests).hasSize(3);
		assertThat(this.requests).extracting(Request::signature).containsOnlyNulls();
	}

	@Test
	void failsAfterItsRetriesWithoutEndlessAttempts() {
		this.failuresLeft.set(100);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> action(2, null).regionFailed(INCIDENT)).withMessageContaining("HTTP 503");
		assertThat(this.requests).hasSize(3);
	}

	@Test
	void doesNotRetryARequestTheReceiverRefuses() {
		this.failuresLeft.set(100);
		this.failureStatus = 400;
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> action(3, null).regionFailed(INCIDENT)).withMessageContaining("HTTP 400");
		assertThat(this.requests).hasSize(1);
	}

	@Test
	void describesItsUrlWithoutUserInfoOrQuery() {
		assertThat(WebhookRecoveryAction.describe(URI.create("https://user:s3cret@hooks.example.com:8443/redis?token=t0ken#x")))
			.isEqualTo("https://hooks.example.com:8443/redis");
	}

	private record Request(String body, String idempotencyKey, String signature) {
	}

}
