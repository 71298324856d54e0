package io.github.resilientcache.testapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.RegionStateChange;
import io.github.resilientcache.region.RegionStateChangedEvent;

import org.springframework.context.ApplicationListener;

/**
 * Every region state change of one application instance, from its very start: register it with
 * {@code withBean(StateLog.class)} so that it hears the changes made while the context starts.
 */
public class StateLog implements ApplicationListener<RegionStateChangedEvent> {

	private final List<RegionStateChange> changes = new CopyOnWriteArrayList<>();

	@Override
	public void onApplicationEvent(RegionStateChangedEvent event) {
		this.changes.add(event.getChange());
	}

	/**
	 * The changes of one region, in order.
	 * @param region the region
	 * @return its changes
	 */
	public List<RegionStateChange> of(String region) {
		return this.changes.stream().filter((change) -> change.region().equals(region)).toList();
	}

	/**
	 * The changes of one region after it first became UP: what a user sees once it served.
	 * @param region the region
	 * @return its changes after the first UP
	 */
	public List<RegionStateChange> afterFirstUp(String region) {
		List<RegionStateChange> all = of(region);
		for (int i = 0; i < all.size(); i++) {
			if (all.get(i).to() == RegionState.UP) {
				return all.subList(i + 1, all.size());
			}
		}
		return List.of();
	}

	/**
	 * Whether a region ever entered a state.
	 * @param region the region
	 * @param state the state
	 * @return whether it did
	 */
	public boolean entered(String region, RegionState state) {
		return of(region).stream().anyMatch((change) -> change.to() == state);
	}

}
