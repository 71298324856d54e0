/**
 * Health, endpoint, metrics and events: observes the other packages, never drives them.
 */
@NullMarked
package io.github.resilientcache.actuate;

import org.jspecify.annotations.NullMarked;
