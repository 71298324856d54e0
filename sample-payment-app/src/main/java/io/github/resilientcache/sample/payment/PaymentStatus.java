package io.github.resilientcache.sample.payment;

/**
 * Outcome of an authorization.
 */
public enum PaymentStatus {

	/**
	 * The account was debited.
	 */
	APPROVED,

	/**
	 * Refused, with a {@link DeclineReason}; nothing was debited.
	 */
	DECLINED

}
