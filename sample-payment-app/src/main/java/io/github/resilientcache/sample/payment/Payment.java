package io.github.resilientcache.sample.payment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;

import org.jspecify.annotations.Nullable;

/**
 * A stored authorization, approved or declined, as the API returns it.
 * @param id the payment id
 * @param idempotencyKey the client's Idempotency-Key
 * @param status approved or declined
 * @param declineReason why it was declined, null if approved
 * @param accountId the paying account
 * @param merchantId the merchant paid
 * @param amount the amount, in {@code currency}
 * @param currency the amount's currency
 * @param accountAmount the amount in the account's currency (debited if approved); null if no
 * FX rate existed
 * @param accountCurrency the account's currency
 * @param fxRate the rate applied, null if none existed
 * @param createdAt when it was authorized
 */
public record Payment(String id, String idempotencyKey, PaymentStatus status, @Nullable DeclineReason declineReason, String accountId,
		String merchantId, BigDecimal amount, Currency currency, @Nullable BigDecimal accountAmount, Currency accountCurrency,
		@Nullable BigDecimal fxRate, Instant createdAt) {

	/**
	 * An FX rate with the eight decimals the database keeps, so that a payment reads the same
	 * whether it was just authorized or read back.
	 * @param rate the rate
	 * @return the rate, rescaled
	 */
	static BigDecimal rate(BigDecimal rate) {
		return rate.setScale(8, RoundingMode.HALF_EVEN);
	}

	Payment declined(DeclineReason reason) {
		return new Payment(this.id, this.idempotencyKey, PaymentStatus.DECLINED, reason, this.accountId, this.merchantId, this.amount,
				this.currency, this.accountAmount, this.accountCurrency, this.fxRate, this.createdAt);
	}

}
