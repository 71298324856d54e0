package io.github.resilientcache.sample.account;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * An account's available balance as {@code GET /accounts/{id}} shows it: cached in the
 * {@code balances} cache and evicted after each debit commits. Authorizations never decide on it:
 * a debit is a conditional update in the database.
 * @param accountId the account id
 * @param available the available balance
 * @param currency its currency
 */
public record AccountBalance(String accountId, BigDecimal available, Currency currency) {
}
