package io.github.resilientcache.actuate;

import io.github.resilientcache.actuate.RegionDescriptors.ReconciliationDescriptor;
import java.util.Map;
import java.util.TreeMap;

import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.cache.NearCache;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.Assert;

/**
 * Health of the multi-region cache: {@code UP} while the local region serves, {@link #DEGRADED}
 * while another region serves instead (the cache still works, one region further away), and
 * {@code DOWN} only when no region serves. Details describe every region; they come from memory,
 * so a check never waits on a failing region.
 */
public final class ResilientCacheHealthIndicator implements HealthIndicator {

	/**
	 * The local region does not serve and another region serves in its place.
	 */
	public static final Status DEGRADED = new Status("DEGRADED", "Serving from another region: the local region is not UP");

	private final RegionDescriptors descriptors;

	private volatile @Nullable MultiRegionCacheManager cacheManager;

	/**
	 * Creates the indicator.
	 * @param descriptors what describes the regions
	 */
	public ResilientCacheHealthIndicator(RegionDescriptors descriptors) {
		Assert.notNull(descriptors, "'descriptors' must not be null");
		this.descriptors = descriptors;
	}

	/**
	 * Adds, per cache that keeps a near tier, whether it serves now ({@code live}: its invalidation
	 * channel delivers) and how many entries it holds. A tier that is not live is no fault (reads go
	 * to the regions), so it never changes the status.
	 * @param cacheManager the cache manager
	 */
	public void describeNearCaches(MultiRegionCacheManager cacheManager) {
		Assert.notNull(cacheManager, "'cacheManager' must not be null");
		this.cacheManager = cacheManager;
	}

	@Override
	public Health health() {
		Regions regions = this.descriptors.regions();
		Health.Builder builder = Health.status(status(regions))
			.withDetail("localRegion", regions.local().name())
			.withDetail("regions", this.descriptors.describeAll());
		ReconciliationDescriptor reconciliation = this.descriptors.lastReconciliation();
		if (reconciliation != null) {
			builder.withDetail("lastReconciliation", reconciliation);
		}
		MultiRegionCacheManager caches = this.cacheManager;
		if (caches != null && caches.getNearInvalidations() != null) {
			Map<String, Object> near = new TreeMap<>();
			for (String name : caches.getCacheNames()) {
				NearCache tier = caches.getNearCache(name);
				if (tier != null) {
					near.put(name, Map.of("live", tier.isLive(), "size", tier.size()));
				}
			}
			builder.withDetail("nearCaches", near);
		}
		return builder.build();
	}

	private static Status status(Regions regions) {
		if (regions.local().state().isServing()) {
			return Status.UP;
		}
		for (Region region : regions.all()) {
			if (region.state().isServing()) {
				return DEGRADED;
			}
		}
		return Status.DOWN;
	}

}
