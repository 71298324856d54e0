package io.github.resilientcache.recovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * <p>
 * A stored status that could not be read at start (its holder region did not answer) is read again
 * on {@code resilient-cache-status} every few seconds until it answers: an instance that started
 * while that region was unreachable still takes a region that is down for maintenance out of
 * service, once it can tell, unless a live message about that region has reached it meanwhile.
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

	/** Stored statuses not read yet: a region, and the other region that may hold its status. */
	private final Set<Unread> unread = ConcurrentHashMap.newKeySet();

	/**
	 * Per region, how many times a live message or this instance's operator took it offline or
	 * brought it back: a stored status read before the last of them is older than it, and is not
	 * applied. Changed and checked-then-applied under {@code this}.
	 */
	private final Map<String, Long> maintenanceNews = new HashMap<>();

	/** Guards starting and stopping, and the re-reads' schedule; never held while a message is applied. */
	private final Object lifecycle = new Object();

	private @Nullable ScheduledExecutorService rereads;

	private @Nullable ScheduledFuture<?> rereading;

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
		synchronized (this.lifecycle) {
			if (!this.running) {
				startLocked();
			}
		}
	}

	private void startLocked() {
		for (Region region : this.regions.all()) {
			applyStoredStatus(region);
		}
		if (!this.unread.isEmpty()) {
			ScheduledExecutorService scheduler = this.regions.threads().scheduler("resilient-cache-status");
			long every = Math.max(this.timeoutMillis * 5, 1000);
			this.rereading = scheduler.scheduleWithFixedDelay(this::readUnread, every, every, TimeUnit.MILLISECONDS);
			this.rereads = scheduler;
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
		ScheduledExecutorService scheduler;
		synchronized (this.lifecycle) {
			this.running = false;
			scheduler = this.rereads;
			this.rereads = null;
			this.rereading = null;
			this.unread.clear();
		}
		// Outside the lock: the re-read it interrupts may be waiting for it.
		if (scheduler != null) {
			this.regions.threads().shutdown(scheduler);
		}
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
		if (change.to() == RegionState.OFFLINE || change.from() == RegionState.OFFLINE) {
			maintenanceNews(change.region());
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
			synchronized (this) {
				maintenanceNews(region.name());
				region.takeOffline(reason, true);
			}
		}
		else if (message.from() == RegionState.OFFLINE) {
			synchronized (this) {
				maintenanceNews(region.name());
				region.release(reason);
			}
		}
		else if (message.to() == RegionState.OPEN) {
			this.prober.confirmSoon(region, reason);
		}
	}

	private void applyStoredStatus(Region region) {
		for (Region holder : this.regions.others(region)) {
			if (readStoredStatus(region, holder)) {
				return;
			}
		}
	}

	private synchronized long maintenanceNews(String region) {
		return this.maintenanceNews.merge(region, 1L, Long::sum);
	}

	private synchronized long maintenanceNewsOf(String region) {
		return this.maintenanceNews.getOrDefault(region, 0L);
	}

	/**
	 * Reads the status of a region stored in another and applies it if it says {@code OFFLINE} and
	 * nothing newer about the region's maintenance reached this instance while it read; remembers it
	 * as unread if the holder did not answer.
	 * @return whether it took the region offline
	 */
	private boolean readStoredStatus(Region region, Region holder) {
		long before = maintenanceNewsOf(region.name());
		String stored;
		try {
			stored = read(holder, this.keys.statusKey(region.name()));
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			if (this.unread.add(new Unread(region, holder))) {
				logger.warn("Could not read the stored status of region '" + region.name() + "' in region '" + holder.name()
						+ "' (" + Region.describe(Region.unwrap(ex)) + "): reading it again until it answers, in case the region is offline for maintenance");
			}
			return false;
		}
		this.unread.remove(new Unread(region, holder));
		StatusMessage message = (stored != null) ? StatusMessage.parse(stored, this.secret) : null;
		if (stored != null && message == null) {
			this.rejected.increment();
			logger.warn("Ignoring the stored status of region '" + region.name() + "' in region '" + holder.name() + "': malformed or not signed");
		}
		if (message == null || message.to() != RegionState.OFFLINE || !message.region().equals(region.name())) {
			return false;
		}
		synchronized (this) {
			if (maintenanceNewsOf(region.name()) != before) {
				// Taken offline or brought back meanwhile, by a live message or this instance's operator: newer than the stored status.
				this.unread.removeIf((other) -> other.region() == region);
				return false;
			}
			region.takeOffline("stored status from instance " + message.instance() + ": " + message.reason(), true);
			return true;
		}
	}

	/** Runs on {@code resilient-cache-status} until every stored status was read once; then stops. */
	private void readUnread() {
		try {
			for (Unread pending : List.copyOf(this.unread)) {
				if (pending.region().state() == RegionState.OFFLINE) {
					this.unread.remove(pending);
				}
				else if (readStoredStatus(pending.region(), pending.holder())) {
					this.unread.removeIf((other) -> other.region() == pending.region());
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the stored region statuses again; trying at the next round", ex);
		}
		synchronized (this.lifecycle) {
			ScheduledFuture<?> current = this.rereading;
			if (this.unread.isEmpty() && current != null) {
				current.cancel(false);
				this.rereading = null;
			}
		}
	}

	private @Nullable String read(Region holder, String key) throws Exception {
		return holder.direct().client().<String>getBucket(key, StringCodec.INSTANCE).getAsync().toCompletableFuture()
			.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Whether every stored status has been read once since start.
	 * @return {@code false} while a region that holds one has not answered
	 */
	boolean storedStatusesRead() {
		return this.unread.isEmpty();
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

	private record Unread(Region region, Region holder) {
	}

}
