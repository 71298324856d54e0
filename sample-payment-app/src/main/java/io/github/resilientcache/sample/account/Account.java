package io.github.resilientcache.sample.account;

import java.util.Currency;

/**
 * An account as every authorization reads it: cached in the {@code accounts} cache of every region.
 * The balance is not part of it: it changes with every payment, and would make this entry, read
 * on every authorization, a miss most of the time (see {@link AccountBalance}).
 * @param id the account id
 * @param holder the account holder's name
 * @param currency the currency of the account's balance
 * @param cardStatus whether payments with the account's card are authorized
 */
public record Account(String id, String holder, Currency currency, CardStatus cardStatus) {

	public boolean cardBlocked() {
		return this.cardStatus == CardStatus.BLOCKED;
	}

}
