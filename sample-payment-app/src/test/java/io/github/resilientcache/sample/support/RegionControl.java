package io.github.resilientcache.sample.support;

import java.time.Duration;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;

import static org.awaitility.Awaitility.await;

/**
 * Fails and restores regions through the demo's HTTP API, and watches what the cache makes of it
 * through the starter's {@link Regions}.
 */
public final class RegionControl {

	private final PaymentsApi api;

	private final Regions regions;

	public RegionControl(PaymentsApi api, Regions regions) {
		this.api = api;
		this.regions = regions;
	}

	public void stop(String region) {
		this.api.post("/demo/regions/" + region + "/stop").expectStatus().isOk();
	}

	public void hang(String region) {
		this.api.post("/demo/regions/" + region + "/hang").expectStatus().isOk();
	}

	public void restore(String region) {
		this.api.post("/demo/regions/" + region + "/restore").expectStatus().isOk();
	}

	public RegionState state(String region) {
		return this.regions.get(region).state();
	}

	/**
	 * Waits until the cache has the region in a state.
	 * @param region the region
	 * @param state the state
	 * @param timeout how long to wait
	 */
	public void awaitState(String region, RegionState state, Duration timeout) {
		await("region " + region + " " + state).atMost(timeout).pollInterval(Duration.ofMillis(20))
			.until(() -> this.regions.get(region).state() == state);
	}

	/**
	 * Restores every region's server and waits until the cache serves from all of them again, so
	 * that the next test starts from a healthy application.
	 */
	public void restoreAllAndAwaitUp() {
		for (Region region : this.regions.all()) {
			restore(region.name());
		}
		for (Region region : this.regions.all()) {
			awaitState(region.name(), RegionState.UP, Duration.ofSeconds(20));
		}
	}

}
