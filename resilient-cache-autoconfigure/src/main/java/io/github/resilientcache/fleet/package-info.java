/**
 * Fleet-wide connectivity telemetry and auto-heal: every instance's view of every region, streamed
 * through Redis, and the {@link io.github.resilientcache.fleet.RegionRecoveryAction} SPI invoked once
 * per fleet when a quorum of instances sees a region failed.
 */
@NullMarked
package io.github.resilientcache.fleet;

import org.jspecify.annotations.NullMarked;
