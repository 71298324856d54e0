package io.github.resilientcache.sample;

import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/prometheus} as Prometheus scrapes it: the standard cache meters, the starter's
 * own and the region breakers', in the text format, after real traffic.
 */
@PaymentAppTest
class PrometheusScrapeTests {

	@LocalServerPort
	private int port;

	private PaymentsApi api;

	@BeforeEach
	void createClient() {
		this.api = new PaymentsApi(this.port);
	}

	@Test
	void scrapeHoldsStandardAndResilientCacheMeters() {
		this.api.get("/accounts/ACC-1006").expectStatus().isOk();
		this.api.get("/accounts/ACC-1006").expectStatus().isOk();
		String scrape = this.api.client()
			.get()
			.uri("/actuator/prometheus")
			.header("Accept", "text/plain")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).containsPattern("(?m)^cache_gets_total\\{[^}]*cache=\"accounts\"[^}]*result=\"hit\"[^}]*} [1-9]")
			.containsPattern("(?m)^cache_puts_total\\{[^}]*cache=\"accounts\"")
			.containsPattern("(?m)^cache_evictions_total\\{[^}]*cache=\"accounts\"")
			.containsPattern("(?m)^resilient_cache_gets_total\\{[^}]*cache=\"accounts\"[^}]*region=\"east\"")
			.containsPattern("(?m)^resilient_region_state\\{[^}]*region=\"west\"[^}]*} 0")
			.containsPattern("(?m)^resilient_cache_latency_seconds_count\\{")
			.containsPattern("(?m)^resilient_cache_operation_seconds_count\\{[^}]*operation=\"load\"[^}]*outcome=\"hit\"[^}]*region=\"east\"")
			.containsPattern("(?m)^resilience4j_circuitbreaker_state\\{[^}]*name=\"resilient-cache-east\"");
	}

}
