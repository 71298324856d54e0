/**
 * Configuration properties and auto-configuration classes.
 */
@NullMarked
package io.github.resilientcache.autoconfigure;

import org.jspecify.annotations.NullMarked;
