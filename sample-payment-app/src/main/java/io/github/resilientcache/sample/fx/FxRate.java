package io.github.resilientcache.sample.fx;

import java.math.BigDecimal;
import java.util.Currency;

import io.github.resilientcache.sample.money.Money;

/**
 * A foreign-exchange rate, cached in the {@code fx-rates} cache of every region.
 * @param base the currency converted from
 * @param quote the currency converted to
 * @param rate units of {@code quote} that one unit of {@code base} buys
 */
public record FxRate(Currency base, Currency quote, BigDecimal rate) {

	/**
	 * The rate of a currency to itself.
	 * @param currency the currency
	 * @return a rate of 1
	 */
	public static FxRate identity(Currency currency) {
		return new FxRate(currency, currency, BigDecimal.ONE);
	}

	/**
	 * Converts an amount, rounded half-even to the decimals of the quote currency.
	 * @param amount an amount in the base currency
	 * @return the amount in the quote currency
	 */
	public BigDecimal convert(BigDecimal amount) {
		return Money.scaled(amount.multiply(this.rate), this.quote);
	}

}
