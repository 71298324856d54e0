/**
 * Helpers shared by the system of record's repositories.
 */
@NullMarked
package io.github.resilientcache.sample.sor;

import org.jspecify.annotations.NullMarked;
