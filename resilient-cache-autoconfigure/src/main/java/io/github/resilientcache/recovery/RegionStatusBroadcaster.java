package io.github.resilientcache.recovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.RegionStateChange;
import io.github.resilientcache.region.RegionStateListener;
import io.github.resilientcache.region.Regions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

import org.springframework.context.SmartLifecycle;

/**
 * Shares confirmed region state changes between application instances, over a Redis channel in
 * every reachable region. What another instance reports is evidence, not a state to copy:
 * <ul>
 * <li>{@code OPEN}: this instance probes the region itself and fails it over only if its own probe
 * fails, so that a partition between one instance and a region fails that region over for that
 * instance only;</li>
 * <li>{@code OFFLINE} (an operator's maintenance) is applied as it is, and kept in a status key in
 * the other regions so that instances starting later apply it too;</li>
 * <li>leaving {@code OFFLINE} releases the region here: it is probed and reconciled by this
 * instance before it serves.</li>
 * </ul>
 * Messages are parsed strictly ({@link StatusMessage}); one that does not parse is ignored.
 */
public final class RegionStatusBroadcaster implements SmartLifecycle, RegionStateListener {

	private static final Log logger = LogFactory.getLog(RegionStatusBroadcaster.class);

	private final Regions regions;

	private final FailbackProber prober;

	private final String instanceId;

	private final KeySpace keys;

	private final long timeoutMillis;

	private final byte @Nullable [] secret;

	private final LongAdder rejected = new LongAdder();

	private final List<Subscription> subscriptions = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Creates the broadcaster.
	 * @param regions the regions
	 * @param prober what confirms another instance's report
	 * @param instanceId this instance's identity
	 * @param timeout longest wait for a status read at start
	 * @param secret the coordination secret that signs and checks messages, {@code null} for none
	 */
	public RegionStatusBroadcaster(Regions regions, FailbackProber prober, String instanceId, java.time.Duration timeout,
			@Nullable String secret) {
		this.secret = (secret != null) ? secret.getBytes(StandardCharsets.UTF_8) : null;
		this.regions = regions;
		this.prober = prober;
		this.instanceId = instanceId;
		this.keys = regions.keys();
		this.timeoutMillis = Math.max(timeout.toMillis(), 100);
	}

	@Override
	public void start() {
		for (Region region : this.regions.all()) {
			applyStoredStatus(region);
		}
		for (Region region : this.regions.all()) {
			try {
				RTopic topic = region.direct().client().getTopic(this.keys.statusChannel(), StringCodec.INSTANCE);
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
		String message = new StatusMessage(change.region(), change.from(), change.to(), this.instanceId, change.reason()).encode(this.secret);
		boolean offline = change.to() == RegionState.OFFLINE;
		boolean online = change.from() == RegionState.OFFLINE;
		for (Region region : this.regions.all()) {
			boolean self = region.name().equals(change.region());
			// A region taken offline still hears of it, so that instances subscribed there only agree.
			if (!region.isServing() && !(self && offline)) {
				continue;
			}
			region.direct().client().getTopic(this.keys.statusChannel(), StringCodec.INSTANCE).publishAsync(message);
			if (!self && offline) {
				region.direct().client().getBucket(this.keys.statusKey(change.region()), StringCodec.INSTANCE).setAsync(message);
			}
			else if (!self && online) {
				region.direct().client().getBucket(this.keys.statusKey(change.region()), StringCodec.INSTANCE).deleteAsync();
			}
		}
	}

	/**
	 * Applies a state change published by another instance.
	 * @param text the message
	 */
	void apply(String text) {
		StatusMessage message = StatusMessage.parse(text, this.secret);
		if (message == null) {
			this.rejected.increment();
			logger.warn("Ignoring a region status message that is malformed" + ((this.secret != null) ? " or not signed with the coordination secret" : ""));
			return;
		}
		Region region = this.regions.find(message.region());
		if (region == null || message.instance().equals(this.instanceId)) {
			return;
		}
		String reason = "instance " + message.instance() + " reported: " + message.reason();
		if (message.to() == RegionState.OFFLINE) {
			region.takeOffline(reason, true);
		}
		else if (message.from() == RegionState.OFFLINE) {
			region.release(reason);
		}
		else if (message.to() == RegionState.OPEN) {
			this.prober.confirmSoon(region, reason);
		}
	}

	private void applyStoredStatus(Region region) {
		for (Region holder : this.regions.others(region)) {
			String stored = read(holder, this.keys.statusKey(region.name()));
			StatusMessage message = (stored != null) ? StatusMessage.parse(stored, this.secret) : null;
			if (stored != null && message == null) {
				this.rejected.increment();
				logger.warn("Ignoring the stored status of region '" + region.name() + "' in region '" + holder.name() + "': malformed or not signed");
			}
			if (message != null && message.to() == RegionState.OFFLINE && message.region().equals(region.name())) {
				region.takeOffline("stored status from instance " + message.instance() + ": " + message.reason(), true);
				return;
			}
		}
	}

	private @Nullable String read(Region holder, String key) {
		try {
			return holder.direct().client().<String>getBucket(key, StringCodec.INSTANCE).getAsync().toCompletableFuture()
				.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return null;
		}
	}

	/**
	 * Status messages and stored statuses rejected since start (malformed, or not signed with the
	 * coordination secret).
	 * @return the count
	 */
	public long rejectedCount() {
		return this.rejected.sum();
	}

	private record Subscription(RTopic topic, int id) {
	}

}
