package io.github.resilientcache.region;

/**
 * Callback on every change of a region's state.
 */
@FunctionalInterface
public interface RegionStateListener {

	/**
	 * Called after the region changed state, on the thread that changed it: keep it short.
	 * @param change the change
	 */
	void onStateChange(RegionStateChange change);

}
