package io.github.resilientcache.sample.account;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts, read through the multi-region {@code accounts} and {@code balances} caches. Plain Spring
 * caching annotations: the starter decides which region answers and replicates every change to
 * the other regions.
 * <p>
 * Entries are evicted only after the change has committed, never before: an eviction before the
 * commit would let a concurrent read put the old row back in the cache. A card status change is
 * announced in its transaction ({@link AccountChanged}) and evicted by {@link AccountCacheEvictions}
 * after the commit; a debit's balance is evicted by the payment service after the debit's
 * transaction returned ({@link #balanceChanged(String)}).
 */
@Service
public class AccountService {

	private final AccountRepository repository;

	private final ApplicationEventPublisher events;

	public AccountService(AccountRepository repository, ApplicationEventPublisher events) {
		this.repository = repository;
		this.events = events;
	}

	/**
	 * Reads an account: from the cache when it holds it, else from the database. {@code sync}: one
	 * load per key at a time in this instance, so that a hot account that expires or is evicted
	 * under load is read from the database once, not by every waiting request.
	 * @param id the account id
	 * @return the account
	 * @throws AccountNotFoundException if there is no such account
	 */
	@Cacheable(cacheNames = "accounts", sync = true)
	public Account find(String id) {
		return this.repository.find(id).orElseThrow(() -> new AccountNotFoundException(id));
	}

	/**
	 * Reads an account's balance, for display: from the cache when it holds it, else from the database.
	 * @param id the account id
	 * @return the balance
	 * @throws AccountNotFoundException if there is no such account
	 */
	@Cacheable(cacheNames = "balances", sync = true)
	public AccountBalance balance(String id) {
		return this.repository.balance(id).orElseThrow(() -> new AccountNotFoundException(id));
	}

	/**
	 * Evicts the cached balance of an account whose debit has committed. Called by the payment
	 * service once the debit's transaction has returned, not from inside it: an eviction in a
	 * transaction callback runs before Spring returns the connection to the pool, so a slow cache
	 * region would hold a database connection per payment and throttle every payment to the
	 * pool's size.
	 * @param accountId the account id
	 */
	@CacheEvict(cacheNames = "balances", key = "#accountId")
	public void balanceChanged(String accountId) {
	}

	/**
	 * Sets the card status; the cached account is evicted in every region after the commit.
	 * @param id the account id
	 * @param status the new status
	 * @return the account as committed
	 * @throws AccountNotFoundException if there is no such account
	 */
	@Transactional
	public Account changeCardStatus(String id, CardStatus status) {
		if (!this.repository.setCardStatus(id, status)) {
			throw new AccountNotFoundException(id);
		}
		this.events.publishEvent(new AccountChanged(id));
		return this.repository.find(id).orElseThrow(() -> new AccountNotFoundException(id));
	}

}
