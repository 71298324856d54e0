package io.github.resilientcache.testapp;

import java.math.BigDecimal;

/**
 * A cached value like a payment service's: an account with its balance and card status.
 * @param id the account id
 * @param balance the balance
 * @param cardBlocked whether the card is blocked
 * @param version how many times the system of record changed it
 */
public record Account(String id, BigDecimal balance, boolean cardBlocked, long version) {
}
