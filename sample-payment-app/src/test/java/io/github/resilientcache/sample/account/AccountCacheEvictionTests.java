package io.github.resilientcache.sample.account;

import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Cached accounts are evicted only once the change has committed, so that no read between the
 * eviction and the commit can put the old row back; a change that rolls back evicts nothing.
 */
@PaymentAppTest
class AccountCacheEvictionTests {

	@Autowired
	private AccountService accounts;

	@Autowired
	private CacheManager cacheManager;

	@Autowired
	private TransactionTemplate transactions;

	@Autowired
	private JdbcClient jdbc;

	private TestAccounts fixtures;

	@BeforeEach
	void setUp() {
		this.fixtures = new TestAccounts(this.jdbc);
	}

	@Test
	void blockedCardIsEvictedAfterTheOuterTransactionCommits() {
		String id = this.fixtures.account("10.00", "EUR");
		assertThat(this.accounts.find(id).cardStatus()).isEqualTo(CardStatus.ACTIVE);
		Cache cache = this.cacheManager.getCache("accounts");
		this.transactions.executeWithoutResult((status) -> {
			this.accounts.changeCardStatus(id, CardStatus.BLOCKED);
			assertThat(cache.get(id)).as("cached entry before the commit").isNotNull();
		});
		assertThat(cache.get(id)).as("cached entry after the commit").isNull();
		assertThat(this.accounts.find(id).cardStatus()).isEqualTo(CardStatus.BLOCKED);
	}

	@Test
	void rolledBackChangeEvictsNothing() {
		String id = this.fixtures.account("10.00", "EUR");
		this.accounts.find(id);
		Cache cache = this.cacheManager.getCache("accounts");
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult((status) -> {
			this.accounts.changeCardStatus(id, CardStatus.BLOCKED);
			throw new IllegalStateException("rolled back");
		}));
		assertThat(cache.get(id)).as("cached entry after the rollback").isNotNull();
		assertThat(this.accounts.find(id).cardStatus()).isEqualTo(CardStatus.ACTIVE);
	}

	@Test
	void changeOutsideATransactionStillEvicts() {
		String id = this.fixtures.account("10.00", "EUR");
		this.accounts.find(id);
		this.accounts.changeCardStatus(id, CardStatus.BLOCKED);
		assertThat(this.cacheManager.getCache("accounts").get(id)).isNull();
		assertThat(this.accounts.find(id).cardStatus()).isEqualTo(CardStatus.BLOCKED);
	}

}
