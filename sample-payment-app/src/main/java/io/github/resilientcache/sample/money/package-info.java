/**
 * Amounts and currencies.
 */
@NullMarked
package io.github.resilientcache.sample.money;

import org.jspecify.annotations.NullMarked;
