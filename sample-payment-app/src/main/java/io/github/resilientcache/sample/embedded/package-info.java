/**
 * The sample's no-setup default: one embedded Redis server per region, started before the cache
 * connects and stopped with the application.
 */
@NullMarked
package io.github.resilientcache.sample.embedded;

import org.jspecify.annotations.NullMarked;
