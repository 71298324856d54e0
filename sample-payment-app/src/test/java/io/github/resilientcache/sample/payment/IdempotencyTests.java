package io.github.resilientcache.sample.payment;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import io.github.resilientcache.sample.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repeated Idempotency-Key never creates a second payment nor a second debit, whether the
 * duplicate comes after the first answer or at the same time.
 */
@PaymentAppTest
class IdempotencyTests {

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
	void sequentialDuplicateReturnsTheFirstPayment() {
		String account = this.fixtures.account("100.00", "EUR");
		String key = PaymentsApi.newKey();
		String body = PaymentsApi.body(account, "MER-2001", "30.00", "EUR");
		Payment first = this.api.pay(key, body).expectStatus().isCreated().expectBody(Payment.class).returnResult().getResponseBody();
		Payment second = this.api.pay(key, body).expectStatus().isOk()
			.expectHeader().valueEquals("Idempotent-Replayed", "true")
			.expectBody(Payment.class).returnResult().getResponseBody();
		assertThat(second).isEqualTo(first);
		assertThat(this.fixtures.payments(key)).isEqualTo(1);
		assertThat(this.fixtures.balance(account)).isEqualByComparingTo("70.00");
	}

	@Test
	void duplicateOfADeclineReturnsTheDecline() {
		String account = this.fixtures.account("10.00", "EUR");
		String key = PaymentsApi.newKey();
		String body = PaymentsApi.body(account, "MER-2001", "30.00", "EUR");
		Payment first = this.api.pay(key, body).expectStatus().isCreated().expectBody(Payment.class).returnResult().getResponseBody();
		assertThat(first.declineReason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
		// Money arrives in between: the retry still gets the first answer, not a new authorization.
		this.jdbc.sql("UPDATE account SET balance = 1000 WHERE id = ?").param(account).update();
		this.api.pay(key, body).expectStatus().isOk().expectBody(Payment.class).isEqualTo(first);
		assertThat(this.fixtures.payments(key)).isEqualTo(1);
	}

	@Test
	void concurrentDuplicatesCreateOnePaymentAndOneDebit() throws Exception {
		String account = this.fixtures.account("100.00", "EUR");
		String key = PaymentsApi.newKey();
		String body = PaymentsApi.body(account, "MER-2001", "30.00", "EUR");
		int clients = 12;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		try {
			List<Callable<EntityExchangeResult<Payment>>> requests = IntStream.range(0, clients)
				.<Callable<EntityExchangeResult<Payment>>>mapToObj((i) -> () -> {
					start.await(10, TimeUnit.SECONDS);
					return this.api.pay(key, body).expectBody(Payment.class).returnResult();
				})
				.toList();
			List<java.util.concurrent.Future<EntityExchangeResult<Payment>>> futures = requests.stream().map(executor::submit).toList();
			start.countDown();
			List<EntityExchangeResult<Payment>> results = futures.stream().map(IdempotencyTests::get).toList();
			assertThat(results).extracting((result) -> result.getStatus().value()).containsOnly(200, 201);
			assertThat(results).filteredOn((result) -> result.getStatus().value() == 201).hasSize(1);
			Set<String> ids = results.stream().map((result) -> result.getResponseBody().id()).collect(Collectors.toSet());
			assertThat(ids).hasSize(1);
			assertThat(this.fixtures.payments(key)).isEqualTo(1);
			assertThat(this.fixtures.balance(account)).isEqualByComparingTo("70.00");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void keyReusedForAnotherPaymentIsUnprocessableProblem() {
		String account = this.fixtures.account("100.00", "EUR");
		String key = PaymentsApi.newKey();
		Payment first = this.api.pay(key, PaymentsApi.body(account, "MER-2001", "30.00", "EUR")).expectStatus().isCreated()
			.expectBody(Payment.class).returnResult().getResponseBody();
		this.api.pay(key, PaymentsApi.body(account, "MER-2001", "31.00", "EUR")).expectStatus().isEqualTo(422)
			.expectBody()
			.jsonPath("$.title").isEqualTo("Idempotency-Key already used")
			.jsonPath("$.paymentId").isEqualTo(first.id());
		assertThat(this.fixtures.balance(account)).isEqualByComparingTo("70.00");
	}

	@Test
	void sameAmountWrittenDifferentlyIsTheSamePayment() {
		String account = this.fixtures.account("100.00", "EUR");
		String key = PaymentsApi.newKey();
		this.api.pay(key, PaymentsApi.body(account, "MER-2001", "30", "EUR")).expectStatus().isCreated();
		this.api.pay(key, PaymentsApi.body(account, "MER-2001", "30.00", "EUR")).expectStatus().isOk();
	}

	private static <T> T get(java.util.concurrent.Future<T> future) {
		try {
			return future.get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
