package io.github.resilientcache.sample.account;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Evicts a cached account once the change of its card status has committed.
 * <p>
 * Why after the commit, and why here rather than {@code @CacheEvict} on the transactional method
 * itself: Spring's cache and transaction interceptors have the same default order, so on one method
 * nothing says which runs first; an eviction before the commit leaves a window in which a
 * concurrent read misses, loads the old row and caches it again, stale until its ttl. A
 * {@link TransactionalEventListener} runs after the outermost transaction commits (and not at
 * all if it rolls back), whatever method or caller started it. The eviction runs on the committing
 * thread, within the cache's time budget, before Spring returns the transaction's connection to
 * the pool: fine for a card blocked now and then, not for every payment (see
 * {@link AccountService#balanceChanged(String)}). If a region cannot take the eviction, the
 * starter journals it and replays it before that region serves reads again.
 */
@Component
public class AccountCacheEvictions {

	/**
	 * The account's card status changed.
	 * @param event the change
	 */
	@TransactionalEventListener(fallbackExecution = true)
	@CacheEvict(cacheNames = "accounts", key = "#event.accountId()")
	public void evictAccount(AccountChanged event) {
	}

}
