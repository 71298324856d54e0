/**
 * Merchants and their payment limits: reference data read through the {@code merchants} cache.
 */
@NullMarked
package io.github.resilientcache.sample.merchant;

import org.jspecify.annotations.NullMarked;
