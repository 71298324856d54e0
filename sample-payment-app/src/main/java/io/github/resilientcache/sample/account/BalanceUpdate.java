package io.github.resilientcache.sample.account;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Body of {@code PUT /accounts/{id}/balance}. The messages name the field, since they become the
 * detail of the 400 problem (see {@code messages.properties}).
 * @param amount the new balance, in the account's currency
 */
public record BalanceUpdate(
		@NotNull(message = "amount is required") @PositiveOrZero(message = "amount must be zero or more") BigDecimal amount) {
}
