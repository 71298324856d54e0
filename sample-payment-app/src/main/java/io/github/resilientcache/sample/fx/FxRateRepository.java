package io.github.resilientcache.sample.fx;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;

import io.github.resilientcache.sample.sor.SystemOfRecordReads;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * FX rates in the database, the system of record.
 */
@Repository
class FxRateRepository {

	private final JdbcClient jdbc;

	private final SystemOfRecordReads reads;

	FxRateRepository(JdbcClient jdbc, SystemOfRecordReads reads) {
		this.jdbc = jdbc;
		this.reads = reads;
	}

	Optional<BigDecimal> rate(Currency base, Currency quote) {
		this.reads.record("fx-rate");
		return this.jdbc.sql("SELECT rate FROM fx_rate WHERE base_currency = ? AND quote_currency = ?")
			.params(base.getCurrencyCode(), quote.getCurrencyCode())
			.query(BigDecimal.class)
			.optional();
	}

}
