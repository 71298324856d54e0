package io.github.resilientcache.actuate;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilientcache.actuate.RegionDescriptors.RegionDescriptor;
import io.github.resilientcache.cache.CacheStatistics;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.cache.NearCache;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionStateChange;
import io.github.resilientcache.region.RegionStateChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live connectivity as Server-Sent Events: a {@code snapshot} of every region on connect, a
 * {@code region-state} event for every state change, in order, and a {@code rates} event every
 * interval. One shared thread sends everything, so that no thread changing a region's state (a
 * request thread, a Redis client thread) ever writes to a client, and events reach each client in
 * the order they happened. Subscribers are bounded in total and per client address, so that one
 * client cannot hold every slot, and each subscription times out (the browser's EventSource then
 * reconnects), so that a slot is never held forever; all are completed when the context closes.
 * With the fleet telemetry on, a {@code fleet} event (instances x regions, incidents) follows each
 * {@code rates} event.
 */
public final class RegionEventStream implements ApplicationListener<RegionStateChangedEvent>, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RegionEventStream.class);

	private final RegionDescriptors descriptors;

	private final MultiRegionCacheManager cacheManager;

	private final Duration interval;

	private final int maxSubscribers;

	private final int maxSubscribersPerClient;

	private final Duration timeout;

	private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

	private final AtomicLong sequence = new AtomicLong();

	/** The fleet telemetry, {@code null} when it is off: then no {@code fleet} event is sent. */
	private volatile @Nullable FleetTelemetry fleet;

	/** Written under the lock, read without it by event publishers. */
	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Creates the stream.
	 * @param descriptors what describes the regions
	 * @param cacheManager the cache manager, for per-cache totals
	 * @param interval time between two {@code rates} events
	 * @param maxSubscribers largest number of clients connected at once
	 * @param maxSubscribersPerClient largest number of subscriptions of one client address
	 * @param timeout time after which a subscription ends (the client may reconnect)
	 */
	public RegionEventStream(RegionDescriptors descriptors, MultiRegionCacheManager cacheManager, Duration interval, int maxSubscribers,
			int maxSubscribersPerClient, Duration timeout) {
		Assert.notNull(descriptors, "'descriptors' must not be null");
		Assert.notNull(cacheManager, "'cacheManager' must not be null");
		Assert.isTrue(interval.toMillis() > 0, "'interval' must be positive");
		Assert.isTrue(maxSubscribers > 0, "'maxSubscribers' must be positive");
		Assert.isTrue(maxSubscribersPerClient > 0, "'maxSubscribersPerClient' must be positive");
		Assert.isTrue(timeout.toMillis() > 0, "'timeout' must be positive");
		this.descriptors = descriptors;
		this.cacheManager = cacheManager;
		this.interval = interval;
		this.maxSubscribers = maxSubscribers;
		this.maxSubscribersPerClient = maxSubscribersPerClient;
		this.timeout = timeout;
	}

	/**
	 * Connects a client: its {@code snapshot} is sent first, then every later event.
	 * @param client the client's address, which may hold at most {@link #maxSubscribersPerClient()}
	 * subscriptions
	 * @return the client's emitter, {@code null} when the stream is full (in total or for this
	 * client) or stopped
	 */
	public synchronized @Nullable SseEmitter subscribe(String client) {
		ScheduledExecutorService executor = this.executor;
		if (executor == null || this.subscribers.size() >= this.maxSubscribers
				|| this.subscribers.stream().filter((subscriber) -> subscriber.client.equals(client)).count() >= this.maxSubscribersPerClient) {
			return null;
		}
		SseEmitter emitter = new SseEmitter(this.timeout.toMillis());
		Subscriber subscriber = new Subscriber(emitter, client);
		this.subscribers.add(subscriber);
		emitter.onCompletion(() -> this.subscribers.remove(subscriber));
		emitter.onTimeout(() -> {
			this.subscribers.remove(subscriber);
			emitter.complete();
		});
		emitter.onError((ex) -> this.subscribers.remove(subscriber));
		// On the stream thread, so that no region-state event falls between the snapshot and the stream.
		executor.execute(() -> {
			if (send(subscriber, nextId(), "snapshot", snapshot())) {
				subscriber.ready = true;
			}
		});
		return emitter;
	}

	/**
	 * Sends a {@code fleet} event (the {@link FleetDescriptor}: every instance's view of every
	 * region, the incidents and their timeline) every interval too.
	 * @param telemetry the fleet telemetry
	 */
	public void includeFleet(FleetTelemetry telemetry) {
		this.fleet = telemetry;
	}

	/**
	 * The largest number of clients connected at once.
	 * @return the bound
	 */
	public int maxSubscribers() {
		return this.maxSubscribers;
	}

	/**
	 * The largest number of subscriptions of one client address.
	 * @return the bound
	 */
	public int maxSubscribersPerClient() {
		return this.maxSubscribersPerClient;
	}

	/**
	 * Number of clients connected now.
	 * @return the count
	 */
	public int subscribers() {
		return this.subscribers.size();
	}

	@Override
	public void onApplicationEvent(RegionStateChangedEvent event) {
		RegionStateChange change = event.getChange();
		RegionStateEvent data = new RegionStateEvent(change.region(), change.from().name(), change.to().name(),
				Redaction.redact(change.reason()), change.at().toString());
		execute(() -> broadcast("region-state", data));
	}

	private void execute(Runnable task) {
		ScheduledExecutorService executor = this.executor;
		if (executor != null && !this.subscribers.isEmpty()) {
			try {
				executor.execute(task);
			}
			catch (RejectedExecutionException ex) {
				// Stopping: the clients are being completed.
			}
		}
	}

	private void broadcast(String name, Object data) {
		String id = nextId();
		for (Subscriber subscriber : this.subscribers) {
			if (subscriber.ready) {
				send(subscriber, id, name, data);
			}
		}
	}

	private String nextId() {
		return Long.toString(this.sequence.incrementAndGet());
	}

	private boolean send(Subscriber subscriber, String id, String name, Object data) {
		try {
			subscriber.emitter.send(SseEmitter.event().id(id).name(name).data(data, MediaType.APPLICATION_JSON));
			return true;
		}
		catch (IOException | RuntimeException ex) {
			// The client went away; the container completes its request and the callbacks drop it.
			this.subscribers.remove(subscriber);
			logger.debug("Dropping a region event stream client", ex);
			return false;
		}
	}

	private Map<String, RegionSummary> snapshot() {
		Map<String, RegionSummary> regions = new LinkedHashMap<>();
		this.descriptors.regions().all().forEach((region) -> regions.put(region.name(), RegionSummary.of(region,
				this.descriptors.describe(region))));
		return regions;
	}

	private Rates rates() {
		Map<String, RegionRates> regions = new LinkedHashMap<>();
		for (Region region : this.descriptors.regions().all()) {
			regions.put(region.name(), new RegionRates(region.state().name(), region.circuitBreaker().getMetrics().getFailureRate(),
					region.circuitBreaker().getMetrics().getSlowCallRate()));
		}
		Map<String, CacheTotals> caches = new LinkedHashMap<>();
		this.cacheManager.getCacheNames().stream().sorted().forEach((name) -> {
			CacheStatistics statistics = this.cacheManager.getStatistics(name);
			if (statistics != null) {
				NearCache near = this.cacheManager.getNearCache(name);
				caches.put(name, new CacheTotals(statistics.totalHits(), statistics.totalMisses(), statistics.failovers(),
						(near != null) ? near.hits() : 0));
			}
		});
		return new Rates(regions, caches);
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "resilient-cache-stream");
				thread.setDaemon(true);
				return thread;
			});
			long millis = this.interval.toMillis();
			executor.scheduleAtFixedRate(() -> {
				if (!this.subscribers.isEmpty()) {
					broadcast("rates", rates());
					FleetTelemetry fleet = this.fleet;
					if (fleet != null) {
						broadcast("fleet", FleetDescriptor.of(fleet, this.descriptors.regions()));
					}
				}
			}, millis, millis, TimeUnit.MILLISECONDS);
			this.executor = executor;
		}
	}

	/**
	 * Completes every client and stops the stream thread. Runs before the web server shuts down,
	 * so that a graceful shutdown does not wait for streams that never end.
	 */
	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			this.executor = null;
			executor.shutdownNow();
			this.subscribers.forEach((subscriber) -> subscriber.emitter.complete());
			this.subscribers.clear();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * One connected client and whether it got its snapshot.
	 */
	private static final class Subscriber {

		private final SseEmitter emitter;

		private final String client;

		/** Whether its snapshot was sent; read and written on the stream thread only. */
		private volatile boolean ready;

		private Subscriber(SseEmitter emitter, String client) {
			this.emitter = emitter;
			this.client = client;
		}

	}

	/**
	 * A region in the {@code snapshot} event.
	 * @param state its state
	 * @param breaker its breaker's state
	 * @param failureRate failure rate in percent, -1 until the breaker's window is full enough
	 * @param slowCallRate slow-call rate in percent, -1 likewise
	 * @param journalDepth keys journaled for it
	 * @param local whether this instance runs in it
	 */
	public record RegionSummary(String state, String breaker, float failureRate, float slowCallRate, long journalDepth, boolean local) {

		static RegionSummary of(Region region, RegionDescriptor descriptor) {
			return new RegionSummary(descriptor.state(), descriptor.breaker(), descriptor.failureRate(), descriptor.slowCallRate(),
					descriptor.journalDepth(), region.isLocal());
		}

	}

	/**
	 * A {@code region-state} event.
	 * @param region the region
	 * @param from the state it left
	 * @param to the state it entered
	 * @param reason why
	 * @param at when (ISO-8601)
	 */
	public record RegionStateEvent(String region, String from, String to, String reason, String at) {
	}

	/**
	 * A {@code rates} event.
	 * @param regions rates by region
	 * @param caches totals by cache
	 */
	public record Rates(Map<String, RegionRates> regions, Map<String, CacheTotals> caches) {
	}

	/**
	 * Rates of one region.
	 * @param state its state
	 * @param failureRate failure rate in percent, -1 until the breaker's window is full enough
	 * @param slowCallRate slow-call rate in percent, -1 likewise
	 */
	public record RegionRates(String state, float failureRate, float slowCallRate) {
	}

	/**
	 * Totals of one cache since start.
	 * @param hits reads a region answered with a value
	 * @param misses reads that found nothing
	 * @param failovers reads answered by another region than the local one
	 * @param nearHits reads the near tier answered (no region asked), 0 without a near tier
	 */
	public record CacheTotals(long hits, long misses, long failovers, long nearHits) {
	}

}
