package io.github.resilientcache.sample.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.github.resilientcache.sample.account.Account;
import io.github.resilientcache.sample.fx.FxRate;
import io.github.resilientcache.sample.money.Money;
import org.jspecify.annotations.Nullable;

/**
 * What an authorization decided before touching the balance: the amount in the account's currency
 * and, if it is declined already, why.
 * @param request the request
 * @param account the account, as the cache had it
 * @param toAccount the rate from the payment's currency to the account's, null if none exists
 * @param declineReason why it is declined already, null if it goes on to the debit
 */
record Quote(PaymentRequest request, Account account, @Nullable FxRate toAccount, @Nullable DeclineReason declineReason) {

	/**
	 * The payment this quote leads to, before the debit: approved unless declined already.
	 * @param idempotencyKey the client's key
	 * @return the payment
	 */
	Payment payment(String idempotencyKey) {
		BigDecimal accountAmount = (this.toAccount != null) ? this.toAccount.convert(this.request.amount()) : null;
		// Millisecond precision: what every database keeps, so a replay reads exactly the same.
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		return new Payment(UUID.randomUUID().toString(), idempotencyKey,
				(this.declineReason != null) ? PaymentStatus.DECLINED : PaymentStatus.APPROVED, this.declineReason, this.account.id(),
				this.request.merchantId(), Money.scaled(this.request.amount(), this.request.currencyUnit()), this.request.currencyUnit(),
				accountAmount, this.account.currency(), (this.toAccount != null) ? Payment.rate(this.toAccount.rate()) : null, now);
	}

}
