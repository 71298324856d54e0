/**
 * Failback: the prober, the journal replay and the anti-entropy reconciliation.
 */
@NullMarked
package io.github.resilientcache.recovery;

import org.jspecify.annotations.NullMarked;
