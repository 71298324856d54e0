package io.github.resilientcache.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjIntConsumer;

import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.NearAnnouncements;
import io.github.resilientcache.region.NearAnnouncements.Announcement;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RTopic;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;

import org.springframework.util.Assert;

/**
 * One instance's listener of near-cache announcements: subscribed to the announcement channel of
 * every region (reads may fail over to any of them), it drops the entries a region announces as
 * changed and tells whether a region's channel is live. Live means a message arrived within the
 * silence window ({@code 4 x heartbeat-interval}); every instance sends a heartbeat on each region's
 * channel every interval, so a channel that went silent (a cut or hung link, a lost subscription)
 * stops every near tier from serving that region's entries within the window, flushes them, and
 * flushes again when messages flow (whatever was announced meanwhile is lost). A channel whose
 * own heartbeats come back later than the window is treated the same way (a slow link delivers
 * invalidations as late). A resubscription (Redisson reconnected, maybe within the window) flushes
 * too, and so does a region state change.
 * <p>
 * Threads: announcements are handled on Redisson's pub/sub threads (short, non-blocking);
 * heartbeats and silence checks on the {@code resilient-cache-near} scheduler; subscriptions on one
 * {@code resilient-cache-near-<region>} thread per region (Redisson's subscribe may wait for the
 * region), so that a hung region never delays the heartbeats of the others;
 * state changes on each region's events thread.
 */
public final class NearInvalidations implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(NearInvalidations.class);

	private static final int SILENCE_INTERVALS = 4;

	private final Regions regions;

	private final KeySpace keys;

	private final String instance;

	private final long intervalNanos;

	private final long windowNanos;

	private final Map<String, NearCache> caches = new ConcurrentHashMap<>();

	/** When each region's channel last delivered a message, {@link System#nanoTime()}; 0: never. */
	private final AtomicLongArray lastMessage;

	/** Until when each region's channel is too slow to trust ({@link System#nanoTime()}); 0: it is not. */
	private final AtomicLongArray lateUntil;

	/** Whether each region's channel was live when last looked at, so that a change flushes once. */
	private final boolean[] live;

	/** Whether each region's channel ever delivered: its first message is no restoration. */
	private final boolean[] seen;

	/** Whether each region's channel was subscribed before: a subscription again is a reconnection. */
	private final boolean[] subscribedBefore;

	private final RTopic[] topics;

	private final @Nullable Integer[] listeners;

	private final boolean[] subscribing;

	private final LongAdder rejected = new LongAdder();

	private volatile LagRecorder lag = LagRecorder.NONE;

	/** Told of each key announcement once a tier processed it (tests). */
	private volatile ObjIntConsumer<Announcement> processed = (announcement, region) -> {
	};

	private @Nullable ScheduledExecutorService scheduler;

	/** One per region: Redisson's subscribe may block until the region answers; the others go on. */
	private final @Nullable ThreadPoolExecutor[] subscribers;

	/**
	 * Creates the listener; {@link #start()} subscribes.
	 * @param regions the regions, in failover order
	 * @param heartbeatInterval how often a heartbeat is sent on each region's channel
	 * @param instance this instance's id, sent in heartbeats
	 */
	public NearInvalidations(Regions regions, Duration heartbeatInterval, String instance) {
		Assert.notNull(regions, "'regions' must not be null");
		Assert.isTrue(!heartbeatInterval.isNegative() && !heartbeatInterval.isZero(), "'heartbeatInterval' must be positive");
		this.regions = regions;
		this.keys = regions.keys();
		this.instance = instance;
		this.intervalNanos = heartbeatInterval.toNanos();
		this.windowNanos = this.intervalNanos * SILENCE_INTERVALS;
		int size = regions.all().size();
		this.lastMessage = new AtomicLongArray(size);
		this.lateUntil = new AtomicLongArray(size);
		this.live = new boolean[size];
		this.seen = new boolean[size];
		this.subscribedBefore = new boolean[size];
		this.topics = new RTopic[size];
		this.listeners = new Integer[size];
		this.subscribing = new boolean[size];
		this.subscribers = new ThreadPoolExecutor[size];
		for (int i = 0; i < size; i++) {
			this.topics[i] = regions.all().get(i).direct().client().getTopic(this.keys.nearChannel(), StringCodec.INSTANCE);
		}
	}

	/**
	 * Subscribes in every region (asynchronously: a region down now is subscribed once it answers)
	 * and starts the heartbeats.
	 */
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		for (Region region : this.regions.all()) {
			region.addStateListener((change) -> flushAll(NearFlushCause.REGION_STATE));
		}
		// Subscriptions are made by the first heartbeat round, never on the starting thread: a
		// region that does not answer now must not hold or fail the application's start.
		for (int i = 0; i < this.subscribers.length; i++) {
			this.subscribers[i] = this.regions.threads().single("resilient-cache-near-" + this.regions.all().get(i).name(), 1, true);
		}
		this.scheduler = this.regions.threads().scheduler("resilient-cache-near");
		this.scheduler.scheduleWithFixedDelay(this::beat, 0, this.intervalNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Subscribes in a region; called by the heartbeat round until it succeeds (Redisson then
	 * resubscribes by itself after a reconnection, and says so through the status listener).
	 */
	private void subscribe(int index) {
		synchronized (this) {
			if (this.subscribing[index]) {
				return;
			}
			this.subscribing[index] = true;
		}
		RTopic topic = this.topics[index];
		try {
			// Asynchronous: a hung region must not hold the heartbeats of the others.
			topic.addListenerAsync(new StatusListener() {

				@Override
				public void onSubscribe(String channel) {
					subscribedAgain(index);
					delivered(index, System.nanoTime());
				}

				@Override
				public void onUnsubscribe(String channel) {
					lost(index);
				}

			}).thenCompose((status) -> topic.addListenerAsync(String.class, (channel, message) -> onMessage(index, message)).whenComplete((id, ex) -> {
				if (ex != null) {
					topic.removeListenerAsync(status);
				}
			})).whenComplete((id, ex) -> subscribed(index, id, ex));
		}
		catch (RuntimeException ex) {
			subscribed(index, null, ex);
		}
	}

	/**
	 * Redisson confirmed a subscription. After the first one, it is a resubscription: Redisson lost
	 * the connection and subscribed again, maybe faster than the silence window, and whatever was
	 * announced in between is lost, so every tier is flushed.
	 */
	private void subscribedAgain(int index) {
		boolean again;
		synchronized (this) {
			again = this.subscribedBefore[index];
			this.subscribedBefore[index] = true;
		}
		if (again) {
			flushAll(NearFlushCause.CHANNEL_RESTORED);
		}
	}

	private synchronized void subscribed(int index, @Nullable Integer id, @Nullable Throwable ex) {
		this.subscribing[index] = false;
		if (ex != null || id == null) {
			logger.debug("Could not subscribe to near-cache announcements in region '" + this.regions.all().get(index).name() + "' yet", ex);
			return;
		}
		this.listeners[index] = id;
	}

	/**
	 * Registers a cache's near tier.
	 * @param cache the tier
	 */
	void register(NearCache cache) {
		this.caches.put(cache.name(), cache);
	}

	/**
	 * Sets where invalidation lags are reported (the metrics binder).
	 * @param lag the recorder
	 */
	public void setLagRecorder(LagRecorder lag) {
		Assert.notNull(lag, "'lag' must not be null");
		this.lag = lag;
	}

	/**
	 * Sets who is told of each key announcement once its near tier processed it, e.g. a test that
	 * must know which versions an instance processed (a write can be announced more than once: a
	 * replay of a write that timed out but had landed).
	 * @param processed told the announcement and the index of its region
	 */
	void setProcessedListener(ObjIntConsumer<Announcement> processed) {
		this.processed = processed;
	}

	/**
	 * Whether a region's channel delivered a message within the silence window.
	 * @param region the region's index in failover order
	 * @param now {@link System#nanoTime()}
	 * @return whether entries of that region may be served
	 */
	boolean isLive(int region, long now) {
		long last = this.lastMessage.get(region);
		long late = this.lateUntil.get(region);
		return last != 0 && now - last < this.windowNanos && (late == 0 || now - late >= 0);
	}

	/**
	 * Announcements that were not of the expected form (forged or foreign data), ignored.
	 * @return the count
	 */
	public long rejected() {
		return this.rejected.sum();
	}

	void onMessage(int region, String message) {
		long now = System.nanoTime();
		Announcement announcement = NearAnnouncements.parse(message);
		if (announcement != null && announcement.kind() == 'H' && announcement.subject().equals(this.instance)
				&& (nowMicros() - announcement.micros()) * 1000 > this.windowNanos) {
			// Our own heartbeat came back later than the window: so do announcements (a slow link).
			late(region, now);
			return;
		}
		delivered(region, now);
		if (announcement == null) {
			this.rejected.increment();
			return;
		}
		if (announcement.kind() == 'K') {
			String cache = this.keys.cacheOf(announcement.subject());
			NearCache near = (cache != null) ? this.caches.get(cache) : null;
			if (near != null) {
				near.invalidate(region, announcement.subject(), announcement.version());
				this.lag.record(cache, this.regions.all().get(region).name(), Math.max(0, nowMicros() - announcement.micros()) * 1000);
				this.processed.accept(announcement, region);
			}
		}
		else if (announcement.kind() == 'C') {
			String cache = this.keys.cacheOf(announcement.subject());
			if (cache != null && announcement.subject().equals(this.keys.cachePattern(cache))) {
				NearCache near = this.caches.get(cache);
				if (near != null) {
					near.flush(NearFlushCause.CLEAR);
				}
			}
			else if (announcement.subject().equals(this.keys.entryPattern())) {
				flushAll(NearFlushCause.CLEAR);
			}
		}
	}

	/**
	 * A message (or a confirmed subscription) arrived: after a silence longer than the window, or
	 * the first time after a loss, whatever was announced meanwhile may be lost, so every tier is
	 * flushed before the channel counts as live again.
	 */
	private void delivered(int region, long now) {
		long last = this.lastMessage.get(region);
		if (last != 0 && now - last < this.windowNanos && this.live[region]) {
			this.lastMessage.set(region, now);
			return;
		}
		synchronized (this) {
			long late = this.lateUntil.get(region);
			if (late != 0 && now - late < 0) {
				// Still late: messages arrive, but too late to trust; the tier stays off.
				this.lastMessage.set(region, now);
				return;
			}
			this.lateUntil.set(region, 0);
			boolean wasLive = this.live[region] && now - this.lastMessage.get(region) < this.windowNanos;
			if (!wasLive && this.seen[region]) {
				flushAll(NearFlushCause.CHANNEL_RESTORED);
			}
			this.seen[region] = true;
			this.live[region] = true;
			this.lastMessage.set(region, now);
		}
	}

	/**
	 * The channel delivers later than the window: off for one more window at least, flushed once.
	 */
	private synchronized void late(int region, long now) {
		this.lateUntil.set(region, now + this.windowNanos);
		if (this.live[region]) {
			this.live[region] = false;
			flushAll(NearFlushCause.CHANNEL_LOST);
		}
	}

	private static long nowMicros() {
		Instant wall = Instant.now();
		return wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1000;
	}

	private synchronized void lost(int region) {
		this.lastMessage.set(region, 0);
		if (this.live[region]) {
			this.live[region] = false;
			flushAll(NearFlushCause.CHANNEL_LOST);
		}
	}

	/**
	 * One heartbeat round: a silent channel is lost; a heartbeat goes to every region (fire and
	 * forget: its echo is what proves the channel); a region not subscribed yet is tried again.
	 */
	private void beat() {
		try {
			long now = System.nanoTime();
			for (int i = 0; i < this.topics.length; i++) {
				if (this.live[i] && !isLive(i, now)) {
					lost(i);
				}
				Region region = this.regions.all().get(i);
				if (region.isClosed()) {
					continue;
				}
				Integer listener;
				synchronized (this) {
					listener = this.listeners[i];
				}
				ThreadPoolExecutor subscriber = this.subscribers[i];
				if (listener == null && subscriber != null) {
					int index = i;
					try {
						subscriber.execute(() -> subscribe(index));
					}
					catch (RejectedExecutionException ex) {
						// A subscription of this region is still being attempted.
					}
				}
				this.topics[i].publishAsync(NearAnnouncements.heartbeat(nowMicros(), this.instance));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Near-cache heartbeat failed", ex);
		}
	}

	void flushAll(NearFlushCause cause) {
		this.caches.values().forEach((cache) -> cache.flush(cause));
	}

	/**
	 * Stops the heartbeats and unsubscribes.
	 */
	@Override
	public synchronized void close() {
		if (this.scheduler != null) {
			this.regions.threads().shutdown(this.scheduler);
			this.scheduler = null;
		}
		for (int i = 0; i < this.subscribers.length; i++) {
			ThreadPoolExecutor subscriber = this.subscribers[i];
			if (subscriber != null) {
				this.regions.threads().shutdown(subscriber);
				this.subscribers[i] = null;
			}
		}
		for (int i = 0; i < this.topics.length; i++) {
			try {
				if (!this.regions.all().get(i).isClosed()) {
					this.topics[i].removeAllListenersAsync();
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Could not unsubscribe from near-cache announcements", ex);
			}
		}
	}

	/**
	 * Told the lag of every invalidation: from the change in the region (the announcement's time) to
	 * its handling here.
	 */
	@FunctionalInterface
	public interface LagRecorder {

		/** Records nothing. */
		LagRecorder NONE = (cache, region, nanos) -> {
		};

		/**
		 * Records one lag.
		 * @param cache the cache
		 * @param region the announcing region
		 * @param nanos the lag
		 */
		void record(String cache, String region, long nanos);

	}

}
