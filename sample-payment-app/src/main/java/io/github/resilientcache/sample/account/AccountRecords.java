package io.github.resilientcache.sample.account;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.springframework.stereotype.Component;

/**
 * The system of record of accounts: an in-memory map seeded with a few accounts, standing in for
 * the payment service's database. Counts its reads, so that one can see when the cache answered.
 */
@Component
public class AccountRecords {

	private final Map<String, Account> accounts = new ConcurrentHashMap<>();

	private final AtomicLong reads = new AtomicLong();

	public AccountRecords() {
		add(new Account("ACC-1001", "Ada Lovelace", new BigDecimal("2500.00"), Currency.getInstance("EUR"), false));
		add(new Account("ACC-1002", "Alan Turing", new BigDecimal("310.75"), Currency.getInstance("GBP"), false));
		add(new Account("ACC-1003", "Grace Hopper", new BigDecimal("12000.00"), Currency.getInstance("USD"), false));
		add(new Account("ACC-1004", "Katherine Johnson", new BigDecimal("845.10"), Currency.getInstance("USD"), false));
		add(new Account("ACC-1005", "Edsger Dijkstra", new BigDecimal("0.00"), Currency.getInstance("EUR"), true));
	}

	private void add(Account account) {
		this.accounts.put(account.id(), account);
	}

	/**
	 * Reads an account.
	 * @param id the account id
	 * @return the account, empty if there is none with that id
	 */
	public Optional<Account> find(String id) {
		this.reads.incrementAndGet();
		return Optional.ofNullable(this.accounts.get(id));
	}

	/**
	 * Changes an account atomically.
	 * @param id the account id
	 * @param change the change
	 * @return the changed account, empty if there is none with that id
	 */
	public Optional<Account> update(String id, UnaryOperator<Account> change) {
		return Optional.ofNullable(this.accounts.computeIfPresent(id, (key, account) -> change.apply(account)));
	}

	/**
	 * Number of reads since start.
	 * @return the count
	 */
	public long reads() {
		return this.reads.get();
	}

}
