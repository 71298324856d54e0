package io.github.resilientcache.recovery;

import org.springframework.context.ApplicationEvent;

/**
 * Published after every replay of a region's journal (a failback, a drain of a serving region that
 * missed a few writes, or a full resync) with what it did.
 */
public class RegionReplayedEvent extends ApplicationEvent {

	private final ReplayResult result;

	public RegionReplayedEvent(Object source, ReplayResult result) {
		super(source);
		this.result = result;
	}

	public ReplayResult getResult() {
		return this.result;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[region '" + this.result.region() + "': " + this.result.describe() + "]";
	}

}
