package io.github.resilientcache.sample.account;

/**
 * Published inside the transaction that changed an account's card status or balance; the cache
 * evictions listen to it after that transaction commits.
 * @param accountId the account id
 * @param cardStatusChanged whether the card status changed (the {@code accounts} entry is stale)
 * @param balanceChanged whether the balance changed (the {@code balances} entry is stale)
 */
public record AccountChanged(String accountId, boolean cardStatusChanged, boolean balanceChanged) {

	public static AccountChanged cardStatus(String accountId) {
		return new AccountChanged(accountId, true, false);
	}

	public static AccountChanged balance(String accountId) {
		return new AccountChanged(accountId, false, true);
	}

}
