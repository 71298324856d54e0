package io.github.resilientcache.sample.payment;

import io.github.resilientcache.sample.account.AccountRepository;
import io.github.resilientcache.sample.account.CardStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores an authorization and debits the account, in one database transaction.
 * <p>
 * The payment row is inserted first: its unique Idempotency-Key claims the request, so that a
 * concurrent duplicate waits on that key and fails when this transaction commits, before it
 * touches the account. The debit is a conditional update ({@code balance >= amount AND card
 * ACTIVE}): the database, not a cached balance, decides under concurrency.
 */
@Component
class PaymentLedger {

	private static final Log logger = LogFactory.getLog(PaymentLedger.class);

	private final PaymentRepository payments;

	private final AccountRepository accounts;

	private final Counter staleCardStatus;

	PaymentLedger(PaymentRepository payments, AccountRepository accounts, MeterRegistry registry) {
		this.payments = payments;
		this.accounts = accounts;
		this.staleCardStatus = Counter.builder("sample.payments.stale.card.status")
			.description("Payments the cache saw as allowed but the database refused because the card was blocked: stale cache reads")
			.register(registry);
	}

	/**
	 * Stores the payment the quote leads to and, if it is not declined already, debits the account.
	 * @param idempotencyKey the client's key
	 * @param quote the checks made so far
	 * @return the stored payment
	 * @throws org.springframework.dao.DuplicateKeyException if a payment with this key exists;
	 * nothing is changed then
	 */
	@Transactional
	public Payment record(String idempotencyKey, Quote quote) {
		Payment payment = quote.payment(idempotencyKey);
		this.payments.insert(payment);
		if (payment.status() == PaymentStatus.DECLINED) {
			return payment;
		}
		if (this.accounts.debit(payment.accountId(), payment.accountAmount())) {
			return payment;
		}
		DeclineReason reason = refusal(payment);
		this.payments.decline(payment.id(), reason);
		return payment.declined(reason);
	}

	private DeclineReason refusal(Payment payment) {
		if (this.accounts.currentCardStatus(payment.accountId()) == CardStatus.BLOCKED) {
			// The cache said the card was active: the database caught what the cache missed.
			this.staleCardStatus.increment();
			logger.warn("Payment " + payment.id() + " declined by the database: card of account " + payment.accountId()
					+ " is blocked but the cached account said active");
			return DeclineReason.CARD_BLOCKED;
		}
		return DeclineReason.INSUFFICIENT_FUNDS;
	}

}
