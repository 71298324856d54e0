package io.github.resilientcache.sample.payment;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import io.github.resilientcache.sample.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorizations over real HTTP: approvals with FX conversion, every decline reason (a 201 with
 * status DECLINED, never an error), and debits that stay correct under concurrency.
 */
@PaymentAppTest
class PaymentAuthorizationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	private PaymentsApi api;

	private TestAccounts fixtures;

	@BeforeEach
	void setUp() {
		this.api = new PaymentsApi(this.port);
		this.fixtures = new TestAccounts(this.jdbc);
	}

	@Test
	void approvesAndDebitsTheAmountConvertedToTheAccountCurrency() {
		String account = this.fixtures.account("100.00", "EUR");
		String merchant = this.fixtures.merchant("USD", "500");
		Payment payment = this.api.pay(account, merchant, "10.85", "USD").expectStatus().isCreated()
			.expectHeader().value("Location", (location) -> assertThat(location).matches(".*/payments/[0-9a-f-]{36}"))
			.expectBody(Payment.class).returnResult().getResponseBody();
		assertThat(payment.status()).isEqualTo(PaymentStatus.APPROVED);
		assertThat(payment.declineReason()).isNull();
		assertThat(payment.fxRate()).isEqualByComparingTo("0.92165899");
		assertThat(payment.accountAmount()).isEqualByComparingTo("10.00");
		assertThat(this.fixtures.balance(account)).isEqualByComparingTo("90.00");
		this.api.get("/accounts/" + account).expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(90.00);
		this.api.get("/payments/" + payment.id()).expectStatus().isOk().expectBody(Payment.class).isEqualTo(payment);
	}

	@Test
	void declinesABlockedCard() {
		String account = this.fixtures.account("100.00", "EUR");
		this.api.post("/accounts/" + account + "/card/block").expectStatus().isOk().expectBody().jsonPath("$.cardStatus").isEqualTo("BLOCKED");
		assertDeclined(account, "MER-2001", "5.00", "EUR", DeclineReason.CARD_BLOCKED);
		this.api.post("/accounts/" + account + "/card/unblock").expectStatus().isOk().expectBody().jsonPath("$.cardStatus").isEqualTo("ACTIVE");
		assertThat(this.api.pay(account, "MER-2001", "5.00", "EUR").expectStatus().isCreated().expectBody(Payment.class).returnResult()
			.getResponseBody().status()).isEqualTo(PaymentStatus.APPROVED);
	}

	@Test
	void declinesAnAmountAboveTheMerchantLimitInTheMerchantCurrency() {
		String account = this.fixtures.account("1000.00", "EUR");
		String merchant = this.fixtures.merchant("GBP", "84.20");
		// 100 EUR is 84.20 GBP: at the limit, approved; a cent more is declined.
		assertThat(this.api.pay(account, merchant, "100.00", "EUR").expectStatus().isCreated().expectBody(Payment.class).returnResult()
			.getResponseBody().status()).isEqualTo(PaymentStatus.APPROVED);
		assertDeclined(account, merchant, "100.01", "EUR", DeclineReason.MERCHANT_LIMIT_EXCEEDED);
	}

	@Test
	void changedMerchantLimitAppliesToTheNextPayment() {
		String account = this.fixtures.account("1000.00", "EUR");
		String merchant = this.fixtures.merchant("EUR", "50");
		assertDeclined(account, merchant, "60.00", "EUR", DeclineReason.MERCHANT_LIMIT_EXCEEDED);
		this.api.client().put().uri("/merchants/" + merchant + "/limits").contentType(MediaType.APPLICATION_JSON)
			.body("{\"maxPaymentAmount\": 75}").exchange().expectStatus().isOk().expectBody().jsonPath("$.maxPaymentAmount").isEqualTo(75.00);
		this.api.get("/merchants/" + merchant).expectStatus().isOk().expectBody().jsonPath("$.maxPaymentAmount").isEqualTo(75.00);
		assertThat(this.api.pay(account, merchant, "60.00", "EUR").expectStatus().isCreated().expectBody(Payment.class).returnResult()
			.getResponseBody().status()).isEqualTo(PaymentStatus.APPROVED);
	}

	@Test
	void declinesInsufficientFundsAndDebitsNothing() {
		String account = this.fixtures.account("20.00", "EUR");
		assertDeclined(account, "MER-2001", "20.01", "EUR", DeclineReason.INSUFFICIENT_FUNDS);
		assertThat(this.fixtures.balance(account)).isEqualByComparingTo("20.00");
	}

	@Test
	void declinesACurrencyWithoutFxRate() {
		String account = this.fixtures.account("20.00", "EUR");
		Payment payment = assertDeclined(account, "MER-2001", "300", "JPY", DeclineReason.CURRENCY_NOT_SUPPORTED);
		assertThat(payment.accountAmount()).isNull();
		// The missing rate is cached as such: a second one is declined the same way.
		assertDeclined(account, "MER-2001", "300", "JPY", DeclineReason.CURRENCY_NOT_SUPPORTED);
	}

	@Test
	void concurrentPaymentsNeverOverdrawTheAccount() throws Exception {
		String account = this.fixtures.account("100.00", "EUR");
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Callable<Payment>> payments = IntStream.range(0, 40)
				.<Callable<Payment>>mapToObj((i) -> () -> this.api.pay(account, "MER-2001", "7.00", "EUR").expectStatus().isCreated()
					.expectBody(Payment.class).returnResult().getResponseBody())
				.toList();
			List<Payment> results = executor.invokeAll(payments).stream().map(PaymentAuthorizationTests::get).toList();
			long approved = results.stream().filter((payment) -> payment.status() == PaymentStatus.APPROVED).count();
			assertThat(approved).as("approved payments of 7.00 from 100.00").isEqualTo(14);
			assertThat(results).filteredOn((payment) -> payment.status() == PaymentStatus.DECLINED)
				.allMatch((payment) -> payment.declineReason() == DeclineReason.INSUFFICIENT_FUNDS);
			assertThat(this.fixtures.balance(account)).isEqualByComparingTo("2.00");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void unknownPaymentIsNotFoundProblem() {
		this.api.get("/payments/no-such-payment").expectStatus().isNotFound().expectBody()
			.jsonPath("$.title").isEqualTo("Payment not found")
			.jsonPath("$.paymentId").isEqualTo("no-such-payment");
	}

	private Payment assertDeclined(String account, String merchant, String amount, String currency, DeclineReason reason) {
		Payment payment = this.api.pay(account, merchant, amount, currency).expectStatus().isEqualTo(HttpStatus.CREATED)
			.expectBody(Payment.class).returnResult().getResponseBody();
		assertThat(payment.status()).isEqualTo(PaymentStatus.DECLINED);
		assertThat(payment.declineReason()).isEqualTo(reason);
		return payment;
	}

	private static <T> T get(Future<T> future) {
		try {
			return future.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
