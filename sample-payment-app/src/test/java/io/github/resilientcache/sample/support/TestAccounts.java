package io.github.resilientcache.sample.support;

import java.math.BigDecimal;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Accounts and merchants a test creates for itself, straight in the database (the API has no way
 * to open an account), so that no test depends on what another test, or a load run, did to the
 * seeded ones.
 */
public final class TestAccounts {

	private final JdbcClient jdbc;

	public TestAccounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Creates an account with an active card.
	 * @param balance the balance
	 * @param currency the ISO code of its currency
	 * @return the account id
	 */
	public String account(String balance, String currency) {
		String id = "TST-" + UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.sql("INSERT INTO account (id, holder, currency, balance, card_status) VALUES (?, ?, ?, ?, 'ACTIVE')")
			.params(id, "Test " + id, currency, new BigDecimal(balance))
			.update();
		return id;
	}

	/**
	 * Creates a merchant.
	 * @param currency the ISO code of its currency
	 * @param maxPaymentAmount its largest single payment
	 * @return the merchant id
	 */
	public String merchant(String currency, String maxPaymentAmount) {
		String id = "TSM-" + UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.sql("INSERT INTO merchant (id, name, currency, max_payment_amount) VALUES (?, ?, ?, ?)")
			.params(id, "Test " + id, currency, new BigDecimal(maxPaymentAmount))
			.update();
		return id;
	}

	/**
	 * The balance in the database, not through any cache.
	 * @param accountId the account id
	 * @return the balance
	 */
	public BigDecimal balance(String accountId) {
		return this.jdbc.sql("SELECT balance FROM account WHERE id = ?").param(accountId).query(BigDecimal.class).single();
	}

	/**
	 * Number of stored payments with this Idempotency-Key.
	 * @param key the key
	 * @return the count
	 */
	public long payments(String key) {
		return this.jdbc.sql("SELECT COUNT(*) FROM payment WHERE idempotency_key = ?").param(key).query(Long.class).single();
	}

}
