/**
 * Demos and game days ({@code demo} profile only): region controls for the embedded Redis servers
 * and a load generator that drives payments over HTTP and reports throughput, latency, errors and
 * declines.
 */
@NullMarked
package io.github.resilientcache.sample.demo;

import org.jspecify.annotations.NullMarked;
