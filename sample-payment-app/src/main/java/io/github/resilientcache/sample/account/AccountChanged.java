package io.github.resilientcache.sample.account;

/**
 * Published inside the transaction that changed an account's card status; the cached account is
 * evicted after that transaction commits ({@link AccountCacheEvictions}).
 * @param accountId the account id
 */
public record AccountChanged(String accountId) {
}
