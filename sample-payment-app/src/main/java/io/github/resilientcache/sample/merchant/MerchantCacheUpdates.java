package io.github.resilientcache.sample.merchant;

import org.springframework.cache.annotation.CachePut;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Writes a changed merchant to the cache once its transaction has committed (write-through, so the
 * next authorization needs no database read), for the same reason accounts are evicted after
 * the commit. A put, unlike an eviction, carries a value: two concurrent changes of the same
 * merchant could reach the cache in the opposite order of their commits, and the later put wins
 * until the ttl. Limits are changed by an operator, one at a time, so that is accepted here; data
 * changed concurrently (balances) is evicted instead.
 */
@Component
public class MerchantCacheUpdates {

	/**
	 * The merchant changed.
	 * @param event the change
	 * @return the merchant to cache
	 */
	@TransactionalEventListener(fallbackExecution = true)
	@CachePut(cacheNames = "merchants", key = "#event.merchant().id()")
	public Merchant merchantChanged(MerchantChanged event) {
		return event.merchant();
	}

}
