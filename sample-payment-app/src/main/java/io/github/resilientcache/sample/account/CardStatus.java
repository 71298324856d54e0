package io.github.resilientcache.sample.account;

/**
 * Whether payments with an account's card may be authorized.
 */
public enum CardStatus {

	/**
	 * Payments are authorized (given funds and limits).
	 */
	ACTIVE,

	/**
	 * Every payment is declined.
	 */
	BLOCKED

}
