/**
 * Sample payment service built on resilient-cache.
 */
@NullMarked
package io.github.resilientcache.sample;

import org.jspecify.annotations.NullMarked;
