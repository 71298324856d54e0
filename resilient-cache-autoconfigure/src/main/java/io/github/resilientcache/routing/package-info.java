/**
 * Which regions serve a read and where a write goes.
 */
@NullMarked
package io.github.resilientcache.routing;

import org.jspecify.annotations.NullMarked;
