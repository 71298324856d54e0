package io.github.resilientcache.sample.payment;

/**
 * Why a payment was declined.
 */
public enum DeclineReason {

	/**
	 * The account's card is blocked.
	 */
	CARD_BLOCKED,

	/**
	 * The amount exceeds the merchant's largest single payment.
	 */
	MERCHANT_LIMIT_EXCEEDED,

	/**
	 * The service has no FX rate from the payment's currency to the account's or merchant's.
	 */
	CURRENCY_NOT_SUPPORTED,

	/**
	 * The account's available balance does not cover the amount.
	 */
	INSUFFICIENT_FUNDS

}
