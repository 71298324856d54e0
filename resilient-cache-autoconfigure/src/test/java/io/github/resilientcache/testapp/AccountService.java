package io.github.resilientcache.testapp;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/**
 * A service as users write them: a system of record (a map here) read through {@code @Cacheable}
 * and changed through {@code @CachePut} and {@code @CacheEvict}. Counts its loads so that tests see
 * whether the cache answered.
 */
public class AccountService {

	private final Map<String, Account> records = new ConcurrentHashMap<>();

	private final AtomicInteger loads = new AtomicInteger();

	@Cacheable("accounts")
	public Account find(String id) {
		return load(id);
	}

	@Cacheable(cacheNames = "accounts", sync = true)
	public Account findOnce(String id) {
		return load(id);
	}

	@Cacheable("accounts")
	public CompletableFuture<Account> findAsync(String id) {
		return CompletableFuture.supplyAsync(() -> load(id));
	}

	@Cacheable("nothing")
	public Account findNothing(String id) {
		this.loads.incrementAndGet();
		return null;
	}

	@CachePut(cacheNames = "accounts", key = "#id")
	public Account setBalance(String id, BigDecimal balance) {
		return this.records.compute(id, (key, current) -> {
			Account base = (current != null) ? current : initial(id);
			return new Account(id, balance, base.cardBlocked(), base.version() + 1);
		});
	}

	@CacheEvict("accounts")
	public void blockCard(String id) {
		this.records.compute(id, (key, current) -> {
			Account base = (current != null) ? current : initial(id);
			return new Account(id, base.balance(), true, base.version() + 1);
		});
	}

	/**
	 * What the system of record holds now, bypassing the cache.
	 * @param id the account id
	 * @return the current account
	 */
	public Account current(String id) {
		return this.records.computeIfAbsent(id, AccountService::initial);
	}

	public int loads() {
		return this.loads.get();
	}

	private Account load(String id) {
		this.loads.incrementAndGet();
		return current(id);
	}

	private static Account initial(String id) {
		return new Account(id, new BigDecimal("100.00"), false, 0);
	}

}
