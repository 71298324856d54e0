/**
 * Version stamps, replication of writes to the other regions and the replay journal of what a region missed.
 */
@NullMarked
package io.github.resilientcache.replication;

import org.jspecify.annotations.NullMarked;
