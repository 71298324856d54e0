package io.github.resilientcache.sample.account;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

import io.github.resilientcache.sample.money.Money;
import io.github.resilientcache.sample.sor.SystemOfRecordReads;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Accounts in the database, the system of record. Balances only change through
 * {@link #debit(String, BigDecimal)}: one conditional update, so that concurrent payments can
 * never overdraw an account nor debit a blocked card.
 */
@Repository
public class AccountRepository {

	private final JdbcClient jdbc;

	private final SystemOfRecordReads reads;

	AccountRepository(JdbcClient jdbc, SystemOfRecordReads reads) {
		this.jdbc = jdbc;
		this.reads = reads;
	}

	Optional<Account> find(String id) {
		this.reads.record("account");
		return this.jdbc.sql("SELECT id, holder, currency, card_status FROM account WHERE id = ?")
			.param(id)
			.query(AccountRepository::account)
			.optional();
	}

	Optional<AccountBalance> balance(String id) {
		this.reads.record("balance");
		return this.jdbc.sql("SELECT id, currency, balance FROM account WHERE id = ?")
			.param(id)
			.query(AccountRepository::balance)
			.optional();
	}

	/**
	 * Ids of all accounts, in id order.
	 * @return the ids
	 */
	public List<String> ids() {
		return this.jdbc.sql("SELECT id FROM account ORDER BY id").query(String.class).list();
	}

	boolean setCardStatus(String id, CardStatus status) {
		return this.jdbc.sql("UPDATE account SET card_status = ? WHERE id = ?").params(status.name(), id).update() == 1;
	}

	/**
	 * Takes an amount off an account's balance if, at that instant, its card is active and the
	 * balance covers it: the database decides, under its row lock, so that concurrent debits can
	 * neither overdraw the account nor slip past a card blocked a moment earlier.
	 * @param id the account id
	 * @param amount the amount, in the account's currency
	 * @return whether the account was debited
	 */
	public boolean debit(String id, BigDecimal amount) {
		return this.jdbc.sql("UPDATE account SET balance = balance - ? WHERE id = ? AND card_status = 'ACTIVE' AND balance >= ?")
			.params(amount, id, amount)
			.update() == 1;
	}

	/**
	 * The card status as the database has it now, without any cache: why a debit was refused.
	 * @param id the account id
	 * @return the card status
	 */
	public CardStatus currentCardStatus(String id) {
		return CardStatus.valueOf(this.jdbc.sql("SELECT card_status FROM account WHERE id = ?").param(id).query(String.class).single());
	}

	private static Account account(ResultSet row, int rowNumber) throws SQLException {
		return new Account(row.getString("id"), row.getString("holder"), Currency.getInstance(row.getString("currency")),
				CardStatus.valueOf(row.getString("card_status")));
	}

	private static AccountBalance balance(ResultSet row, int rowNumber) throws SQLException {
		Currency currency = Currency.getInstance(row.getString("currency"));
		return new AccountBalance(row.getString("id"), Money.scaled(row.getBigDecimal("balance"), currency), currency);
	}

}
