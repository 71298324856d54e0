package io.github.resilientcache.sample.payment;

import java.math.BigDecimal;
import java.util.Currency;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /payments}. The messages name the field, since they become the detail of the
 * 400 problem.
 * @param accountId the paying account
 * @param merchantId the merchant paid
 * @param amount the amount, in {@code currency}
 * @param currency ISO 4217 code of the amount's currency
 */
public record PaymentRequest(
		@NotBlank(message = "accountId is required") @Size(max = 40, message = "accountId must be at most 40 characters") String accountId,
		@NotBlank(message = "merchantId is required") @Size(max = 40, message = "merchantId must be at most 40 characters") String merchantId,
		@NotNull(message = "amount is required") @Positive(message = "amount must be more than zero")
		@DecimalMax(value = "1000000", message = "amount must be at most 1000000")
		@Digits(integer = 7, fraction = 4, message = "amount must have at most 4 decimals") BigDecimal amount,
		@NotNull(message = "currency is required") @CurrencyCode(message = "currency must be an ISO 4217 code such as EUR") String currency) {

	Currency currencyUnit() {
		return Currency.getInstance(this.currency);
	}

	/**
	 * Whether another request asks for the same payment: what a retry with the same
	 * Idempotency-Key must repeat.
	 * @param payment a stored payment
	 * @return whether they match
	 */
	boolean matches(Payment payment) {
		return this.accountId.equals(payment.accountId()) && this.merchantId.equals(payment.merchantId())
				&& this.amount.compareTo(payment.amount()) == 0 && this.currency.equals(payment.currency().getCurrencyCode());
	}

}
