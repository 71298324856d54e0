package io.github.resilientcache.sample.merchant;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * A merchant, cached in the {@code merchants} cache of every region.
 * @param id the merchant id
 * @param name the merchant's name
 * @param currency the currency the merchant settles in, and of its limit
 * @param maxPaymentAmount largest single payment the merchant may take, in its currency
 */
public record Merchant(String id, String name, Currency currency, BigDecimal maxPaymentAmount) {
}
