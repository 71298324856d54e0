package io.github.resilientcache.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/**
 * A service as users write them, behind Spring's {@code @Cacheable} proxy. Its "system of record"
 * builds the account after an optional simulated latency (none in the JMH benchmarks, so that they
 * measure the cache; about a millisecond in the failover benchmark, like a fast database).
 */
public class AccountLookup {

	private final long recordLatencyNanos;

	public AccountLookup(long recordLatencyNanos) {
		this.recordLatencyNanos = recordLatencyNanos;
	}

	@Cacheable("accounts")
	public Account find(String id) {
		return load(id);
	}

	/**
	 * A read through the cache that never stores its result: a pure miss when the key is absent.
	 * @param id the account id
	 * @return the account
	 */
	@Cacheable(cacheNames = "accounts", unless = "true")
	public Account findUncached(String id) {
		return load(id);
	}

	@CachePut(cacheNames = "accounts", key = "#id")
	public Account update(String id) {
		return load(id);
	}

	@CacheEvict("accounts")
	public void evict(String id) {
	}

	private Account load(String id) {
		if (this.recordLatencyNanos > 0) {
			LockSupport.parkNanos(this.recordLatencyNanos);
		}
		return Account.of(id);
	}

	static long millis(double millis) {
		return (long) (millis * TimeUnit.MILLISECONDS.toNanos(1));
	}

}
