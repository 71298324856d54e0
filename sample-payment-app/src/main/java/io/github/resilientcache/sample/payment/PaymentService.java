package io.github.resilientcache.sample.payment;

import java.util.Optional;

import io.github.resilientcache.sample.account.AccountService;
import io.github.resilientcache.sample.money.Money;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Authorizes payments, exactly once per Idempotency-Key.
 * <p>
 * Idempotency lives in the database: a unique key on the payment row, in the transaction that
 * debits. A repeated key returns the stored payment (sequential duplicates find it first; a
 * concurrent duplicate fails on the unique key once the first commits, rolls back, and then finds
 * it). A cache is never trusted with it: a region failure must not be able to turn a retry into
 * a second debit.
 */
@Service
public class PaymentService {

	private final PaymentRepository payments;

	private final Authorizer authorizer;

	private final PaymentLedger ledger;

	private final AccountService accounts;

	private final MeterRegistry registry;

	PaymentService(PaymentRepository payments, Authorizer authorizer, PaymentLedger ledger, AccountService accounts,
			MeterRegistry registry) {
		this.payments = payments;
		this.authorizer = authorizer;
		this.ledger = ledger;
		this.accounts = accounts;
		this.registry = registry;
	}

	/**
	 * Authorizes a payment, or returns the one stored for this Idempotency-Key.
	 * @param idempotencyKey the client's key
	 * @param request the request
	 * @return the payment and whether it was stored by an earlier request
	 * @throws PaymentProblem if the request cannot be processed (nothing is stored then)
	 */
	public Authorization authorize(String idempotencyKey, PaymentRequest request) {
		Optional<Payment> stored = this.payments.findByIdempotencyKey(idempotencyKey);
		if (stored.isPresent()) {
			return replay(idempotencyKey, request, stored.get());
		}
		if (!Money.fits(request.amount(), request.currencyUnit())) {
			throw PaymentProblem.tooManyDecimals(request);
		}
		Quote quote = this.authorizer.quote(request);
		try {
			Payment payment = this.ledger.record(idempotencyKey, quote);
			if (payment.status() == PaymentStatus.APPROVED) {
				// Committed, and the connection is back in the pool: a failing-over cache holds none.
				this.accounts.balanceChanged(payment.accountId());
			}
			count(payment);
			return new Authorization(payment, false);
		}
		catch (DuplicateKeyException ex) {
			Payment first = this.payments.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> ex);
			return replay(idempotencyKey, request, first);
		}
	}

	/**
	 * Reads a payment.
	 * @param id the payment id
	 * @return the payment
	 * @throws PaymentProblem if there is none (404)
	 */
	public Payment find(String id) {
		return this.payments.findById(id).orElseThrow(() -> PaymentProblem.notFound(id));
	}

	private Authorization replay(String idempotencyKey, PaymentRequest request, Payment stored) {
		if (!request.matches(stored)) {
			throw PaymentProblem.idempotencyKeyReused(idempotencyKey, stored);
		}
		return new Authorization(stored, true);
	}

	private void count(Payment payment) {
		this.registry.counter("sample.payments", "status", payment.status().name(), "reason",
				(payment.declineReason() != null) ? payment.declineReason().name() : "none").increment();
	}

	/**
	 * The outcome of {@link #authorize}.
	 * @param payment the payment
	 * @param replayed whether an earlier request with the same key stored it
	 */
	public record Authorization(Payment payment, boolean replayed) {
	}

}
