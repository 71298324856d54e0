package io.github.resilientcache.sample.payment;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;

import io.github.resilientcache.sample.money.Money;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Payments in the database. Never cached: a payment is read back by id or by Idempotency-Key,
 * and both must be the truth.
 */
@Repository
class PaymentRepository {

	private static final String COLUMNS = "id, idempotency_key, status, decline_reason, account_id, merchant_id, amount, currency, "
			+ "account_amount, account_currency, fx_rate, created_at";

	private final JdbcClient jdbc;

	PaymentRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a payment.
	 * @param payment the payment
	 * @throws org.springframework.dao.DuplicateKeyException if a payment with the same
	 * Idempotency-Key exists (or, in PostgreSQL and H2, is being stored by a transaction that then
	 * commits: the insert waits for it)
	 */
	void insert(Payment payment) {
		this.jdbc.sql("INSERT INTO payment (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(payment.id(), payment.idempotencyKey(), payment.status().name(), name(payment.declineReason()), payment.accountId(),
					payment.merchantId(), payment.amount(), payment.currency().getCurrencyCode(), payment.accountAmount(),
					payment.accountCurrency().getCurrencyCode(), payment.fxRate(), Timestamp.from(payment.createdAt()))
			.update();
	}

	void decline(String id, DeclineReason reason) {
		this.jdbc.sql("UPDATE payment SET status = 'DECLINED', decline_reason = ? WHERE id = ?").params(reason.name(), id).update();
	}

	Optional<Payment> findById(String id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE id = ?").param(id).query(PaymentRepository::payment).optional();
	}

	Optional<Payment> findByIdempotencyKey(String key) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE idempotency_key = ?")
			.param(key)
			.query(PaymentRepository::payment)
			.optional();
	}

	long countByIdempotencyKey(String key) {
		return this.jdbc.sql("SELECT COUNT(*) FROM payment WHERE idempotency_key = ?").param(key).query(Long.class).single();
	}

	private static @Nullable String name(@Nullable Enum<?> value) {
		return (value != null) ? value.name() : null;
	}

	private static Payment payment(ResultSet row, int rowNumber) throws SQLException {
		Currency currency = Currency.getInstance(row.getString("currency"));
		Currency accountCurrency = Currency.getInstance(row.getString("account_currency"));
		String reason = row.getString("decline_reason");
		BigDecimal accountAmount = row.getBigDecimal("account_amount");
		BigDecimal fxRate = row.getBigDecimal("fx_rate");
		Instant createdAt = row.getTimestamp("created_at").toInstant();
		return new Payment(row.getString("id"), row.getString("idempotency_key"), PaymentStatus.valueOf(row.getString("status")),
				(reason != null) ? DeclineReason.valueOf(reason) : null, row.getString("account_id"), row.getString("merchant_id"),
				Money.scaled(row.getBigDecimal("amount"), currency), currency,
				(accountAmount != null) ? Money.scaled(accountAmount, accountCurrency) : null, accountCurrency,
				(fxRate != null) ? Payment.rate(fxRate) : null, createdAt);
	}

}
