/**
 * One region: its Redisson client, its circuit breaker, its state and the versioned entry operations it runs.
 */
@NullMarked
package io.github.resilientcache.region;

import org.jspecify.annotations.NullMarked;
