package io.github.resilientcache.sample.account;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * An account as the payment service reads it on every authorization: cached in the
 * {@code accounts} cache of every region.
 * @param id the account id
 * @param holder the account holder's name
 * @param balance the available balance
 * @param currency the currency of the balance
 * @param cardBlocked whether payments with the account's card are refused
 */
public record Account(String id, String holder, BigDecimal balance, Currency currency, boolean cardBlocked) {

	Account withBalance(BigDecimal balance) {
		return new Account(this.id, this.holder, balance, this.currency, this.cardBlocked);
	}

	Account withCardBlocked() {
		return new Account(this.id, this.holder, this.balance, this.currency, true);
	}

}
