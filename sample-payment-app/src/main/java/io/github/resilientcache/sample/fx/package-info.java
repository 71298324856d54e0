/**
 * Foreign-exchange rates: reference data read through the {@code fx-rates} cache.
 */
@NullMarked
package io.github.resilientcache.sample.fx;

import org.jspecify.annotations.NullMarked;
