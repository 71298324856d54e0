/**
 * Spring's Cache and CacheManager SPI over several regions.
 */
@NullMarked
package io.github.resilientcache.cache;

import org.jspecify.annotations.NullMarked;
