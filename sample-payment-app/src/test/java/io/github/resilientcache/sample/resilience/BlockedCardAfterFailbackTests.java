package io.github.resilientcache.sample.resilience;

import java.time.Duration;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.sample.payment.DeclineReason;
import io.github.resilientcache.sample.payment.Payment;
import io.github.resilientcache.sample.payment.PaymentStatus;
import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import io.github.resilientcache.sample.support.RegionControl;
import io.github.resilientcache.sample.support.TestAccounts;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A card blocked while the local region is hung is declined once that region serves again: its
 * cached account (still "active" in the hung server's memory) must not come back. The decline
 * must come from the cache, fresh, and not only from the database's guard in the debit, which
 * would hide a stale read: the test holds the count of such catches at zero.
 */
@PaymentAppTest
class BlockedCardAfterFailbackTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Regions regions;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	private PaymentsApi api;

	private RegionControl control;

	@BeforeEach
	void setUp() {
		this.api = new PaymentsApi(this.port);
		this.control = new RegionControl(this.api, this.regions);
	}

	@AfterEach
	void restoreRegions() {
		this.control.restoreAllAndAwaitUp();
	}

	@Test
	void cardBlockedWhileTheLocalRegionHungIsDeclinedAfterFailback() {
		String account = new TestAccounts(this.jdbc).account("500.00", "EUR");
		// The account is cached, active, in both regions.
		assertThat(pay(account).status()).isEqualTo(PaymentStatus.APPROVED);
		this.control.hang("east");
		// Reads time out on east until its breaker opens; the cache serves from west meanwhile.
		await("east taken out").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10)).until(() -> {
			this.api.get("/accounts/" + account).expectStatus().isOk();
			return this.control.state("east") == RegionState.OPEN;
		});
		double staleBefore = staleCardStatusDeclines();
		this.api.post("/accounts/" + account + "/card/block").expectStatus().isOk().expectBody().jsonPath("$.cardStatus").isEqualTo("BLOCKED");
		Payment duringOutage = pay(account);
		assertThat(duringOutage.declineReason()).isEqualTo(DeclineReason.CARD_BLOCKED);
		this.control.restore("east");
		this.control.awaitState("east", RegionState.UP, Duration.ofSeconds(15));
		// East serves again, and it must not serve the account it held before the block.
		this.api.get("/accounts/" + account).expectStatus().isOk().expectBody().jsonPath("$.cardStatus").isEqualTo("BLOCKED");
		Payment afterFailback = pay(account);
		assertThat(afterFailback.status()).isEqualTo(PaymentStatus.DECLINED);
		assertThat(afterFailback.declineReason()).isEqualTo(DeclineReason.CARD_BLOCKED);
		assertThat(staleCardStatusDeclines()).as("payments the cache allowed and only the database refused").isEqualTo(staleBefore);
		this.api.get("/actuator/health").expectStatus().isOk().expectBody()
			.jsonPath("$.components.resilientCache.status").isEqualTo("UP")
			.jsonPath("$.components.resilientCache.details.regions.east.state").isEqualTo("UP");
	}

	private Payment pay(String account) {
		return this.api.pay(account, "MER-2001", "10.00", "EUR").expectStatus().isCreated().expectBody(Payment.class).returnResult()
			.getResponseBody();
	}

	private double staleCardStatusDeclines() {
		return this.meters.get("sample.payments.stale.card.status").counter().count();
	}

}
