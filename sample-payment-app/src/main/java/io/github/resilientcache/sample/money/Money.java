package io.github.resilientcache.sample.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Amounts in a currency: the database keeps four decimals, the API shows the currency's own.
 */
public final class Money {

	private Money() {
	}

	/**
	 * An amount with its currency's usual number of decimals, rounded half-even (banker's rounding).
	 * @param amount the amount
	 * @param currency its currency
	 * @return the amount, rescaled
	 */
	public static BigDecimal scaled(BigDecimal amount, Currency currency) {
		return amount.setScale(Math.max(currency.getDefaultFractionDigits(), 0), RoundingMode.HALF_EVEN);
	}

	/**
	 * Whether an amount has no more decimals than its currency uses (no 10.001 EUR).
	 * @param amount the amount
	 * @param currency its currency
	 * @return whether it fits
	 */
	public static boolean fits(BigDecimal amount, Currency currency) {
		return amount.stripTrailingZeros().scale() <= Math.max(currency.getDefaultFractionDigits(), 0);
	}

}
