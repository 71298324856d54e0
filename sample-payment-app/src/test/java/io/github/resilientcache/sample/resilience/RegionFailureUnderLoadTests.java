package io.github.resilientcache.sample.resilience;

import java.time.Duration;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.sample.demo.LoadFigures;
import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import io.github.resilientcache.sample.support.RegionControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The promise of the sample: payments keep flowing while the local region's Redis fails, with not
 * one failed payment. Load comes from the application's own load generator ({@code POST /demo/load}),
 * which pays over real HTTP with unique Idempotency-Keys and counts every 5xx, transport error and
 * timeout as an error.
 */
@PaymentAppTest
class RegionFailureUnderLoadTests {

	private static final int RATE = 150;

	@LocalServerPort
	private int port;

	@Autowired
	private Regions regions;

	private PaymentsApi api;

	private RegionControl control;

	@BeforeEach
	void setUp() {
		this.api = new PaymentsApi(this.port);
		this.control = new RegionControl(this.api, this.regions);
		// A short run first, so that the figures measure the failure, not a cold JVM.
		runToEnd(100, 2);
	}

	@AfterEach
	void restoreRegions() {
		this.control.restoreAllAndAwaitUp();
	}

	@Test
	void noPaymentFailsWhenTheLocalRegionStops() {
		LoadFigures figures = runThroughFailure("stop", () -> this.control.stop("east"));
		assertNoFailedPayment(figures);
	}

	@Test
	void noPaymentFailsWhenTheLocalRegionHangs() {
		LoadFigures figures = runThroughFailure("hang", () -> this.control.hang("east"));
		assertNoFailedPayment(figures);
	}

	private LoadFigures runThroughFailure(String failure, Runnable fail) {
		int seconds = 6;
		start(RATE, seconds);
		// Past the ramp, at the full rate, the local region fails...
		await().atMost(Duration.ofSeconds(10)).until(() -> figures().sent() >= RATE * 2);
		LoadFigures beforeFailure = figures();
		long sentBeforeFailure = beforeFailure.sent();
		fail.run();
		// ...and the cache takes it out while the payments keep coming.
		this.control.awaitState("east", RegionState.OPEN, Duration.ofSeconds(5));
		LoadFigures figures = awaitEnd();
		// The p99 before the failure is the machine's baseline: on a busy machine it is high too.
		System.out.printf("[figure] local region %s under load: %d payments (%d after the failure), %d failures, "
				+ "p50 %.1f ms, p99 %.1f ms, max %.1f ms, %.0f payments/s (before the failure: p99 %.1f ms)%n", failure,
				figures.completed(), figures.completed() - sentBeforeFailure, figures.errors(), figures.latency().p50(),
				figures.latency().p99(), figures.latency().max(), figures.averagePaymentsPerSecond(), beforeFailure.latency().p99());
		return figures;
	}

	private void assertNoFailedPayment(LoadFigures figures) {
		assertThat(figures.errors()).as("failed payments (%s), last error: %s", figures.errorsByKind(), figures.lastError()).isZero();
		assertThat(figures.completed()).isEqualTo(figures.sent());
		// The rate was held: a failure shows as latency, not as payments that were never made.
		assertThat(figures.sent()).isGreaterThanOrEqualTo((long) (RATE * (6 - 1.2) * 0.95));
		assertThat(figures.approved()).isPositive();
	}

	private void runToEnd(int rate, int seconds) {
		start(rate, seconds);
		awaitEnd();
	}

	private void start(int rate, int seconds) {
		this.api.post("/demo/load?rate=" + rate + "&seconds=" + seconds).expectStatus().isAccepted();
	}

	private LoadFigures awaitEnd() {
		await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).until(() -> "FINISHED".equals(figures().state()));
		return figures();
	}

	private LoadFigures figures() {
		return this.api.get("/demo/load").expectStatus().isOk().expectBody(LoadFigures.class).returnResult().getResponseBody();
	}

}
