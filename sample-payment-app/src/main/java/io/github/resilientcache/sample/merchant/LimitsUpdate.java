package io.github.resilientcache.sample.merchant;

import java.math.BigDecimal;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * Body of {@code PUT /merchants/{id}/limits}. The messages name the field, since they become the
 * detail of the 400 problem.
 * @param maxPaymentAmount largest single payment, in the merchant's currency
 */
public record LimitsUpdate(@NotNull(message = "maxPaymentAmount is required") @Positive(message = "maxPaymentAmount must be more than zero")
@Digits(integer = 13, fraction = 4, message = "maxPaymentAmount must have at most 13 digits and 4 decimals") BigDecimal maxPaymentAmount) {
}
