package io.github.resilientcache.benchmarks;

import java.math.BigDecimal;

/**
 * The cached value: a small account as a payment service reads it (about 100 bytes of JSON).
 * @param id the account id
 * @param balance the balance
 * @param currency the ISO currency code
 * @param cardBlocked whether the card is blocked
 * @param version the record's version in the system of record
 */
public record Account(String id, BigDecimal balance, String currency, boolean cardBlocked, long version) {

	static Account of(String id) {
		return new Account(id, new BigDecimal("1234.56"), "EUR", false, 1);
	}

}
