/**
 * Payment authorization: validation, idempotency, FX conversion, limits and the debit.
 */
@NullMarked
package io.github.resilientcache.sample.payment;

import org.jspecify.annotations.NullMarked;
