package io.github.resilientcache.sample.merchant;

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
 * Merchants in the database, the system of record.
 */
@Repository
public class MerchantRepository {

	private final JdbcClient jdbc;

	private final SystemOfRecordReads reads;

	MerchantRepository(JdbcClient jdbc, SystemOfRecordReads reads) {
		this.jdbc = jdbc;
		this.reads = reads;
	}

	Optional<Merchant> find(String id) {
		this.reads.record("merchant");
		return this.jdbc.sql("SELECT id, name, currency, max_payment_amount FROM merchant WHERE id = ?")
			.param(id)
			.query(MerchantRepository::merchant)
			.optional();
	}

	/**
	 * Ids of all merchants, in id order.
	 * @return the ids
	 */
	public List<String> ids() {
		return this.jdbc.sql("SELECT id FROM merchant ORDER BY id").query(String.class).list();
	}

	boolean setMaxPaymentAmount(String id, BigDecimal amount) {
		return this.jdbc.sql("UPDATE merchant SET max_payment_amount = ? WHERE id = ?").params(amount, id).update() == 1;
	}

	private static Merchant merchant(ResultSet row, int rowNumber) throws SQLException {
		Currency currency = Currency.getInstance(row.getString("currency"));
		return new Merchant(row.getString("id"), row.getString("name"), currency,
				Money.scaled(row.getBigDecimal("max_payment_amount"), currency));
	}

}
