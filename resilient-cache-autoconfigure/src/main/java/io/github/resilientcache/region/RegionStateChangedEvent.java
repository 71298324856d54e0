package io.github.resilientcache.region;

import org.springframework.context.ApplicationEvent;

/**
 * Published on every change of a region's state, so that an application can alert or log.
 */
public class RegionStateChangedEvent extends ApplicationEvent {

	private final RegionStateChange change;

	public RegionStateChangedEvent(Object source, RegionStateChange change) {
		super(source);
		this.change = change;
	}

	public RegionStateChange getChange() {
		return this.change;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.change.describe() + "]";
	}

}
