package io.github.resilientcache.sample.account;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * An account as the REST API shows it.
 * @param id the account id
 * @param holder the account holder's name
 * @param currency the currency of the balance
 * @param balance the available balance
 * @param cardStatus whether payments with the card are authorized
 */
public record AccountView(String id, String holder, Currency currency, BigDecimal balance, CardStatus cardStatus) {

	static AccountView of(Account account, AccountBalance balance) {
		return new AccountView(account.id(), account.holder(), account.currency(), balance.available(), account.cardStatus());
	}

}
