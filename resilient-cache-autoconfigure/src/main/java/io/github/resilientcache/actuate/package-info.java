/**
 * Health, endpoint, metrics, live stream and configuration sanitizing: observes the other packages
 * and never drives them, except for the endpoint's write operations, which an operator asks for.
 */
@NullMarked
package io.github.resilientcache.actuate;

import org.jspecify.annotations.NullMarked;
