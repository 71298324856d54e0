package io.github.resilientcache.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.resilientcache.actuate.RegionDescriptors.ReconciliationDescriptor;
import io.github.resilientcache.actuate.RegionDescriptors.RegionDescriptor;
import io.github.resilientcache.cache.CacheStatistics;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.ReconciliationResult;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.replication.Replicator;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

/**
 * {@code /actuator/resilientcache}: reads the regions, caches and replication; takes a region
 * offline for maintenance and brings it back (reconciled before it serves); runs an anti-entropy
 * reconciliation now. Like every endpoint, not exposed over the web unless
 * {@code management.endpoints.web.exposure.include} names it.
 */
@Endpoint(id = "resilientcache")
public final class ResilientCacheEndpoint {

	private static final long AWAIT_SECONDS = 10;

	private static final String FLEET = "fleet";

	private final RegionDescriptors descriptors;

	private final MultiRegionCacheManager cacheManager;

	private final Replicator replicator;

	private final @Nullable RegionRecovery recovery;

	private final @Nullable AntiEntropyReconciler reconciler;

	private final @Nullable FleetTelemetry fleet;

	/**
	 * Creates the endpoint.
	 * @param descriptors what describes the regions
	 * @param cacheManager the cache manager, for cache statistics
	 * @param replicator the write path, for replication statistics
	 * @param recovery what takes regions offline and back, {@code null} without recovery
	 * @param reconciler the anti-entropy reconciler, {@code null} without recovery
	 */
	public ResilientCacheEndpoint(RegionDescriptors descriptors, MultiRegionCacheManager cacheManager, Replicator replicator,
			@Nullable RegionRecovery recovery, @Nullable AntiEntropyReconciler reconciler) {
		this(descriptors, cacheManager, replicator, recovery, reconciler, null);
	}

	/**
	 * Creates the endpoint.
	 * @param descriptors what describes the regions
	 * @param cacheManager the cache manager, for cache statistics
	 * @param replicator the write path, for replication statistics
	 * @param recovery what takes regions offline and back, {@code null} without recovery
	 * @param reconciler the anti-entropy reconciler, {@code null} without recovery
	 * @param fleet the fleet telemetry, {@code null} when it is off
	 */
	public ResilientCacheEndpoint(RegionDescriptors descriptors, MultiRegionCacheManager cacheManager, Replicator replicator,
			@Nullable RegionRecovery recovery, @Nullable AntiEntropyReconciler reconciler, @Nullable FleetTelemetry fleet) {
		Assert.notNull(descriptors, "'descriptors' must not be null");
		Assert.notNull(cacheManager, "'cacheManager' must not be null");
		Assert.notNull(replicator, "'replicator' must not be null");
		this.descriptors = descriptors;
		this.cacheManager = cacheManager;
		this.replicator = replicator;
		this.recovery = recovery;
		this.reconciler = reconciler;
		this.fleet = fleet;
	}

	/**
	 * Every region, cache and the replication.
	 * @return the descriptor
	 */
	@ReadOperation
	public ResilientCacheDescriptor resilientCache() {
		Map<String, CacheDescriptor> caches = new LinkedHashMap<>();
		this.cacheManager.getCacheNames().stream().sorted().forEach((name) -> {
			CacheStatistics statistics = this.cacheManager.getStatistics(name);
			if (statistics != null) {
				caches.put(name, CacheDescriptor.of(statistics));
			}
		});
		long replicated = this.replicator.replicated();
		double meanLagMillis = (replicated > 0) ? this.replicator.replicationNanos() / 1e6 / replicated : 0;
		return new ResilientCacheDescriptor(this.descriptors.regions().local().name(), this.descriptors.describeAll(), caches,
				new ReplicationDescriptor(this.replicator.mode().name(), this.replicator.inFlight(), replicated, meanLagMillis,
						this.descriptors.regions().all().stream().mapToLong((region) -> this.replicator.journal().recorded(region)).sum()),
				this.descriptors.lastReconciliation());
	}

	/**
	 * One region, or {@code fleet}: the fleet view (every instance's view of every region, and the
	 * incidents), when {@code resilient-cache.fleet.enabled} (a region cannot be named {@code fleet}
	 * then).
	 * @param region the region's name, or {@code fleet}
	 * @return its descriptor, {@code null} (404 over HTTP) when there is no region of that name
	 */
	@ReadOperation
	public @Nullable Object region(@Selector String region) {
		Region found = this.descriptors.regions().find(region);
		if (found != null) {
			return this.descriptors.describe(found);
		}
		FleetTelemetry fleet = this.fleet;
		return (FLEET.equals(region) && fleet != null) ? fleet() : null;
	}

	/**
	 * The fleet view, {@code null} when the fleet telemetry is off.
	 * @return the fleet
	 */
	public @Nullable FleetDescriptor fleet() {
		FleetTelemetry fleet = this.fleet;
		return (fleet != null) ? FleetDescriptor.of(fleet, this.descriptors.regions()) : null;
	}

	/**
	 * Takes a region offline for maintenance (its traffic drains to the others and the writes it
	 * misses are journaled) or brings it back online (its journal is replayed before it serves).
	 * @param region the region's name
	 * @param action {@code offline} or {@code online}
	 * @return the region afterwards
	 */
	@WriteOperation
	public RegionDescriptor changeRegion(@Selector String region, String action) {
		Region found = this.descriptors.regions().find(region);
		if (found == null) {
			throw new InvalidEndpointRequestException("No region named '" + region + "'; regions are "
					+ this.descriptors.describeAll().keySet(), "Unknown region");
		}
		RegionRecovery recovery = this.recovery;
		if (recovery == null) {
			throw new InvalidEndpointRequestException("Region recovery is not configured", "No recovery");
		}
		switch (action.toLowerCase(Locale.ROOT)) {
			case "offline" -> recovery.takeOffline(found, "taken offline through the actuator endpoint");
			case "online" -> await(recovery.bringOnline(found, "brought online through the actuator endpoint"));
			default -> throw new InvalidEndpointRequestException("Unknown action '" + action + "': use 'offline' or 'online'",
					"Unknown action");
		}
		return this.descriptors.describe(found);
	}

	/**
	 * Runs one anti-entropy reconciliation now, on the calling thread.
	 * @return what it checked and repaired
	 */
	@WriteOperation
	public ReconciliationDescriptor reconcile() {
		AntiEntropyReconciler reconciler = this.reconciler;
		if (reconciler == null) {
			throw new InvalidEndpointRequestException("Anti-entropy reconciliation is not configured", "No reconciliation");
		}
		ReconciliationResult result = await(reconciler.runNow());
		return ReconciliationDescriptor.of((result != null) ? result : ReconciliationResult.running());
	}

	/**
	 * Waits a bounded time for work that runs on the starter's own threads, so that a request
	 * thread is never held by a long reconciliation: past the bound, the response shows the state
	 * as it is and the work goes on.
	 */
	private static <T> @Nullable T await(CompletableFuture<T> work) {
		try {
			return work.get(AWAIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException | TimeoutException ex) {
			return null;
		}
	}

	/**
	 * Everything the endpoint reads.
	 * @param localRegion the region this instance runs in
	 * @param regions every region, local first
	 * @param caches totals of every cache used so far
	 * @param replication the write path
	 * @param lastReconciliation the last anti-entropy run, {@code null} before the first
	 */
	public record ResilientCacheDescriptor(String localRegion, Map<String, RegionDescriptor> regions, Map<String, CacheDescriptor> caches,
			ReplicationDescriptor replication, @Nullable ReconciliationDescriptor lastReconciliation) {
	}

	/**
	 * Totals of one cache over every region.
	 * @param hits reads that found a value
	 * @param misses reads that found nothing, including reads no region could answer
	 * @param failovers reads served by a region other than the local one
	 * @param unavailable reads no region could answer
	 * @param notCached values not cached (too large or not encodable)
	 * @param replication the cache's replication level: ASYNC, QUORUM or ALL
	 * @param shortfalls writes at the quorum or all level that returned with fewer acknowledgements
	 * than the level asks for (the regions missing have them in their journal)
	 */
	public record CacheDescriptor(long hits, long misses, long failovers, long unavailable, long notCached, String replication,
			long shortfalls) {

		static CacheDescriptor of(CacheStatistics statistics) {
			return new CacheDescriptor(statistics.totalHits(), statistics.totalMisses(), statistics.failovers(), statistics.unavailable(),
					statistics.notCached(), statistics.replication().name(), statistics.shortfalls());
		}

	}

	/**
	 * The write path.
	 * @param mode the default replication level: ASYNC, QUORUM, ALL or SYNC (the same as ALL)
	 * @param inFlight background replications in flight
	 * @param completed replications completed since start
	 * @param meanLagMillis mean time a replication took
	 * @param journaled writes a region missed and got in its journal since start
	 */
	public record ReplicationDescriptor(String mode, int inFlight, long completed, double meanLagMillis, long journaled) {
	}

}
