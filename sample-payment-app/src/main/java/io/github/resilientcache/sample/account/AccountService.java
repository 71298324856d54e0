package io.github.resilientcache.sample.account;

import java.math.BigDecimal;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Accounts, read through the multi-region {@code accounts} cache. Plain Spring caching annotations:
 * the starter decides which region answers and replicates every change to the other regions.
 */
@Service
public class AccountService {

	private final AccountRecords records;

	public AccountService(AccountRecords records) {
		this.records = records;
	}

	/**
	 * Reads an account: from the cache when it holds it, else from the system of record.
	 * @param id the account id
	 * @return the account
	 * @throws AccountNotFoundException if there is no such account
	 */
	@Cacheable("accounts")
	public Account find(String id) {
		return this.records.find(id).orElseThrow(() -> new AccountNotFoundException(id));
	}

	/**
	 * Blocks the account's card, then evicts the account in every region so that no region can
	 * authorize a payment against the cached, unblocked card.
	 * @param id the account id
	 * @return the changed account
	 * @throws AccountNotFoundException if there is no such account
	 */
	@CacheEvict("accounts")
	public Account blockCard(String id) {
		return this.records.update(id, Account::withCardBlocked).orElseThrow(() -> new AccountNotFoundException(id));
	}

	/**
	 * Sets the account's balance and writes the new account to the cache (write-through).
	 * @param id the account id
	 * @param balance the new balance
	 * @return the changed account
	 * @throws AccountNotFoundException if there is no such account
	 */
	@CachePut(cacheNames = "accounts", key = "#id")
	public Account updateBalance(String id, BigDecimal balance) {
		return this.records.update(id, (account) -> account.withBalance(balance)).orElseThrow(() -> new AccountNotFoundException(id));
	}

}
