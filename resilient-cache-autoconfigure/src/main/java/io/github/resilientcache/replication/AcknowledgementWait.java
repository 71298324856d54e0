package io.github.resilientcache.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.resilientcache.region.Region;
import org.jspecify.annotations.Nullable;

/**
 * Counts the acknowledgements of one write at the quorum or all level, and completes as soon as
 * enough regions acknowledged or every region has answered one way or the other. Acknowledgements
 * arrive on Redisson's threads; the future is completed outside the lock, so that the caller's
 * continuation never runs while another region's answer waits for it.
 */
final class AcknowledgementWait {

	private final ReplicationMode level;

	private final List<Region> regions;

	private final int required;

	private final List<String> acknowledged = new ArrayList<>();

	private final List<String> journaled = new ArrayList<>();

	private final CompletableFuture<Acknowledgements> done = new CompletableFuture<>();

	AcknowledgementWait(ReplicationMode level, List<Region> regions) {
		this.level = level.level();
		this.regions = regions;
		this.required = level.required(regions.size());
	}

	void acknowledged(Region region) {
		Acknowledgements outcome;
		synchronized (this) {
			this.acknowledged.add(region.name());
			outcome = outcomeIfDone();
		}
		complete(outcome);
	}

	void journaled(Region region) {
		Acknowledgements outcome;
		synchronized (this) {
			this.journaled.add(region.name());
			outcome = outcomeIfDone();
		}
		complete(outcome);
	}

	CompletableFuture<Acknowledgements> done() {
		return this.done;
	}

	private @Nullable Acknowledgements outcomeIfDone() {
		if (this.done.isDone()
				|| (this.acknowledged.size() < this.required && this.acknowledged.size() + this.journaled.size() < this.regions.size())) {
			return null;
		}
		List<String> pending = new ArrayList<>();
		for (Region region : this.regions) {
			if (!this.acknowledged.contains(region.name()) && !this.journaled.contains(region.name())) {
				pending.add(region.name());
			}
		}
		return new Acknowledgements(this.level, this.required, List.copyOf(this.acknowledged), List.copyOf(this.journaled), List.copyOf(pending));
	}

	private void complete(@Nullable Acknowledgements outcome) {
		if (outcome != null) {
			this.done.complete(outcome);
		}
	}

}
