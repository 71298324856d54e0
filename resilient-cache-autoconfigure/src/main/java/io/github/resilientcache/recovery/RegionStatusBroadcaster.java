package io.github.resilientcache.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.RegionStateChange;
import io.github.resilientcache.region.RegionStateListener;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

import org.springframework.context.SmartLifecycle;

/**
 * Makes application instances agree on regions: a region one instance found failed, or an operator
 * took offline, is known to the others, so that no instance keeps reading a region the others are
 * reconciling. Each state change is published on a Redis channel in every reachable region and kept
 * in a status key in the other regions, read by instances that start later. At start, a region whose
 * journal holds keys it missed (written by an instance that is gone) is taken out until reconciled.
 */
public final class RegionStatusBroadcaster implements SmartLifecycle, RegionStateListener {

	private static final Log logger = LogFactory.getLog(RegionStatusBroadcaster.class);

	private final Regions regions;

	private final ReplayJournal journal;

	private final String channel;

	private final String keyPrefix;

	private final long timeoutMillis;

	private final List<Subscription> subscriptions = new ArrayList<>();

	private volatile boolean running;

	public RegionStatusBroadcaster(Regions regions, ReplayJournal journal, String keyPrefix, Duration timeout) {
		this.regions = regions;
		this.journal = journal;
		this.keyPrefix = keyPrefix;
		this.channel = keyPrefix + ":region-status";
		this.timeoutMillis = Math.max(timeout.toMillis(), 100);
	}

	private String statusKey(String region) {
		return this.keyPrefix + ":status:{" + region + "}";
	}

	@Override
	public void start() {
		for (Region region : this.regions.all()) {
			applyStoredStatus(region);
			takeOutIfJournaled(region);
		}
		for (Region region : this.regions.all()) {
			try {
				RTopic topic = region.store().client().getTopic(this.channel, StringCodec.INSTANCE);
				int id = topic.addListenerAsync(String.class, (channel, message) -> apply(message))
					.toCompletableFuture().get(this.timeoutMillis * 4, TimeUnit.MILLISECONDS);
				this.subscriptions.add(new Subscription(topic, id));
			}
			catch (Exception ex) {
				// Redisson resubscribes once the region is reachable; nothing to do meanwhile.
				logger.debug("Could not subscribe to status changes in region '" + region.name() + "' yet", ex);
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		for (Subscription subscription : this.subscriptions) {
			try {
				subscription.topic().removeListener(subscription.id());
			}
			catch (RuntimeException ex) {
				logger.debug("Could not unsubscribe", ex);
			}
		}
		this.subscriptions.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Start before the prober and web server, stop after them.
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

	@Override
	public void onStateChange(RegionStateChange change) {
		if (change.remote()) {
			return;
		}
		String message = String.join("\t", change.region(), change.to().name(), this.journal.instanceId(), change.reason());
		for (Region region : this.regions.all()) {
			boolean self = region.name().equals(change.region());
			if (!region.isServing() && !(self && change.to() == RegionState.OFFLINE)) {
				continue;
			}
			region.store().client().getTopic(this.channel, StringCodec.INSTANCE).publishAsync(message);
			if (!self) {
				if (change.to() == RegionState.UP) {
					region.store().client().getBucket(statusKey(change.region()), StringCodec.INSTANCE).deleteAsync();
				}
				else if (change.to() == RegionState.OPEN || change.to() == RegionState.OFFLINE) {
					region.store().client().getBucket(statusKey(change.region()), StringCodec.INSTANCE).setAsync(message);
				}
			}
		}
	}

	/**
	 * Applies a state change published by another instance.
	 * @param message the message
	 */
	void apply(String message) {
		String[] parts = message.split("\t", 4);
		if (parts.length < 4 || parts[2].equals(this.journal.instanceId())) {
			return;
		}
		Region region = this.regions.find(parts[0]);
		if (region == null) {
			return;
		}
		RegionState reported;
		try {
			reported = RegionState.valueOf(parts[1]);
		}
		catch (IllegalArgumentException ex) {
			return;
		}
		String reason = "reported by instance " + parts[2] + ": " + parts[3];
		RegionState current = region.state();
		switch (reported) {
			case OPEN -> region.transition(RegionState.UP, RegionState.OPEN, reason, true);
			case OFFLINE -> {
				if (current != RegionState.OFFLINE) {
					region.transition(current, RegionState.OFFLINE, reason, true);
				}
			}
			case RECOVERING -> {
				if (current == RegionState.OPEN || current == RegionState.OFFLINE) {
					region.transition(current, RegionState.RECOVERING, reason, true);
				}
			}
			case UP -> region.transition(RegionState.OFFLINE, RegionState.OPEN, reason, true);
		}
	}

	private void applyStoredStatus(Region region) {
		for (Region holder : this.regions.others(region)) {
			String stored = read(holder, statusKey(region.name()));
			if (stored != null) {
				apply(stored.replaceFirst("^([^\t]*\t[^\t]*\t)[^\t]*", "$1stored-status"));
				return;
			}
		}
	}

	private void takeOutIfJournaled(Region region) {
		if (!region.isServing()) {
			return;
		}
		for (Region holder : this.regions.others(region)) {
			try {
				long depth = this.journal.store().depth(holder.store().client(), region.name());
				if (depth > 0 || this.journal.store().resyncFlagged(holder.store().client(), region.name())) {
					region.transition(RegionState.UP, RegionState.OPEN,
							"its journal in region '" + holder.name() + "' holds " + depth + " keys it missed");
					return;
				}
			}
			catch (RuntimeException ex) {
				// The region may have missed writes recorded there: not trusted until reconciled.
				region.transition(RegionState.UP, RegionState.OPEN,
						"its journal in region '" + holder.name() + "' cannot be read (" + Region.unwrap(ex).getClass().getSimpleName() + ")");
				return;
			}
		}
	}

	private @Nullable String read(Region holder, String key) {
		try {
			return holder.store().client().<String>getBucket(key, StringCodec.INSTANCE).getAsync().toCompletableFuture()
				.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return null;
		}
	}

	private record Subscription(RTopic topic, int id) {
	}

}
