package io.github.resilientcache.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilientcache.fleet.FleetSnapshot.Cell;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.stream.StreamMessageId;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Fleet-wide connectivity telemetry: once per interval, on its own thread
 * ({@code resilient-cache-fleet}), this instance publishes its view of every region to a bounded
 * Redis stream ({@code XADD MAXLEN ~}) in every region it can reach, reads the other instances'
 * snapshots back into the {@link FleetView}, renews or seeks the fleet leader's lease, and lets the
 * {@link IncidentCoordinator} open and close incidents. Publishing to every reachable region (not
 * only the one it writes to) is what lets an instance cut from one region still be heard by a leader
 * that reads another. Never on the request path: the cache's calls do not wait for any of it.
 */
public final class FleetTelemetry implements SmartLifecycle, ApplicationEventPublisherAware {

	private static final Log logger = LogFactory.getLog(FleetTelemetry.class);

	private final Regions regions;

	private final ReplayJournal journal;

	private final String instanceId;

	private final Settings settings;

	private final Signer signer;

	private final FleetStore store;

	private final FleetView view;

	private final IncidentCoordinator coordinator;

	private final Clock clock;

	private final RegionLoad.Source load;

	private final Map<String, StreamMessageId> lastRead = new HashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	private final LongAdder published = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder publishFailures = new LongAdder();

	private final LongAdder rounds = new LongAdder();

	private volatile @Nullable ScheduledExecutorService scheduler;

	private volatile @Nullable ExecutorService actionExecutor;

	private volatile @Nullable Region leaseHolder;

	/**
	 * Settings of the telemetry and of the incidents.
	 * @param interval time between two snapshots
	 * @param streamMaxLength about how many snapshots each region's stream keeps
	 * @param staleAfter age past which an instance's newest snapshot is stale
	 * @param quorum share of the reporting instances, more than which decides an incident
	 * @param threshold how long a quorum must have seen a region failed before an incident opens
	 * @param coolDown how long after an incident closed no new one of the region opens
	 * @param leaderLease lease of the leader, renewed every interval
	 * @param maxActions incidents that may invoke the actions per period
	 * @param maxActionsPeriod the period
	 * @param timeout longest wait for one Redis command
	 * @param secret the coordination secret, {@code null} for unsigned telemetry
	 */
	public record Settings(Duration interval, int streamMaxLength, Duration staleAfter, double quorum, Duration threshold, Duration coolDown,
			Duration leaderLease, int maxActions, Duration maxActionsPeriod, Duration timeout, @Nullable String secret) {
	}

	/**
	 * Creates the telemetry.
	 * @param regions the regions
	 * @param journal the replay journal, for journal depths
	 * @param instanceId this instance's identity
	 * @param settings the settings
	 * @param actions what to invoke on incidents
	 */
	public FleetTelemetry(Regions regions, ReplayJournal journal, String instanceId, Settings settings, List<RegionRecoveryAction> actions) {
		this(regions, journal, instanceId, settings, actions, RegionLoad.Source.NONE);
	}

	/**
	 * Creates the telemetry.
	 * @param regions the regions
	 * @param journal the replay journal, for journal depths
	 * @param instanceId this instance's identity
	 * @param settings the settings
	 * @param actions what to invoke on incidents
	 * @param load what this instance measured of each region's latency and calls
	 */
	public FleetTelemetry(Regions regions, ReplayJournal journal, String instanceId, Settings settings, List<RegionRecoveryAction> actions,
			RegionLoad.Source load) {
		this(regions, journal, instanceId, settings, actions, load, Clock.systemUTC());
	}

	FleetTelemetry(Regions regions, ReplayJournal journal, String instanceId, Settings settings, List<RegionRecoveryAction> actions,
			RegionLoad.Source load, Clock clock) {
		Assert.notNull(regions, "'regions' must not be null");
		Assert.notNull(load, "'load' must not be null");
		Assert.notNull(journal, "'journal' must not be null");
		Assert.hasText(instanceId, "'instanceId' must not be empty");
		Assert.notNull(settings, "'settings' must not be null");
		this.regions = regions;
		this.journal = journal;
		this.instanceId = instanceId;
		this.settings = settings;
		this.clock = clock;
		this.load = load;
		this.signer = new Signer(settings.secret());
		this.store = new FleetStore(regions.keys(), settings.timeout(), settings.streamMaxLength(),
				settings.staleAfter().multipliedBy(10).plusMinutes(1));
		this.view = new FleetView(settings.staleAfter(), clock);
		ExecutorService executor = regions.threads().single("resilient-cache-fleet-actions", 64, true);
		this.actionExecutor = executor;
		RateLimiter limiter = RateLimiter.of("resilient-cache-fleet-actions", RateLimiterConfig.custom().limitForPeriod(settings.maxActions())
			.limitRefreshPeriod(settings.maxActionsPeriod()).timeoutDuration(Duration.ZERO).build());
		this.coordinator = new IncidentCoordinator(regions, this.store, this.signer,
				new IncidentCoordinator.Settings(settings.quorum(), settings.threshold(), settings.coolDown()), actions, executor, limiter, clock);
	}

	/**
	 * Publishes a {@link FleetIncidentEvent} through the application's publisher whenever this
	 * instance learns that an incident opened or closed; set by the application context.
	 * @param publisher the publisher
	 */
	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
		this.coordinator.publishTo(publisher::publishEvent);
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		ScheduledExecutorService scheduler = this.regions.threads().scheduler("resilient-cache-fleet");
		long interval = this.settings.interval().toMillis();
		scheduler.scheduleWithFixedDelay(this::tick, 0, interval, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		this.scheduler = null;
		if (scheduler != null) {
			this.regions.threads().shutdown(scheduler);
		}
		// Hand leadership over now rather than after the lease expires.
		Region holder = this.leaseHolder;
		this.leaseHolder = null;
		if (holder != null) {
			try {
				this.store.releaseLease(holder, this.instanceId);
			}
			catch (Exception ex) {
				logger.debug("Could not release the fleet leader's lease; it expires by itself", ex);
			}
		}
		ExecutorService actions = this.actionExecutor;
		this.actionExecutor = null;
		if (actions != null) {
			this.regions.threads().shutdown(actions);
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		// Start after the regions are probed; stop before their clients close.
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

	/**
	 * One round: publish, read, lead. Never throws, so that the schedule goes on.
	 */
	void tick() {
		try {
			publish();
			read();
			this.view.prune();
			this.coordinator.evaluate(this.view.fresh(), lead());
		}
		catch (RuntimeException ex) {
			logger.warn("Fleet telemetry round failed", ex);
		}
		finally {
			this.rounds.increment();
		}
	}

	/** Rounds run so far, for tests that tell a stuck telemetry thread from a slow one. */
	long rounds() {
		return this.rounds.sum();
	}

	private void publish() {
		FleetSnapshot snapshot = snapshot();
		this.view.offer(snapshot);
		String text = snapshot.encode(this.signer);
		boolean any = false;
		for (Region region : this.regions.all()) {
			if (!region.isServing()) {
				continue;
			}
			try {
				this.store.publish(region, text);
				any = true;
			}
			catch (Exception ex) {
				interrupted(ex);
				this.publishFailures.increment();
				logger.debug("Could not publish a fleet snapshot to region '" + region.name() + "'", ex);
			}
		}
		if (any) {
			this.published.increment();
		}
	}

	FleetSnapshot snapshot() {
		Map<String, RegionLoad> loads = sampleLoad();
		Map<String, Cell> cells = new LinkedHashMap<>();
		for (Region region : this.regions.all()) {
			CircuitBreaker.Metrics metrics = region.circuitBreaker().getMetrics();
			RegionLoad load = loads.getOrDefault(region.name(), RegionLoad.UNKNOWN);
			cells.put(region.name(), new Cell(region.state(), region.circuitBreaker().getState().name(), metrics.getFailureRate(),
					metrics.getSlowCallRate(), FleetSnapshot.latency(load.p99Millis()), FleetSnapshot.callRate(load.callsPerSecond()),
					this.journal.depth(region),
					region.stateSince().toEpochMilli(), FleetSnapshot.clean(region.stateReason())));
		}
		return new FleetSnapshot(this.instanceId, this.regions.local().name(), this.clock.millis(), this.sequence.incrementAndGet(), cells);
	}

	/** What the load source measured; a source that fails costs the snapshot its figures, not the snapshot. */
	private Map<String, RegionLoad> sampleLoad() {
		try {
			return this.load.sample();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the regions' latency and calls for the fleet snapshot", ex);
			return Map.of();
		}
	}

	private void read() {
		long futureLimit = this.clock.millis() + Math.max(this.settings.staleAfter().toMillis(), 60_000);
		for (Region region : this.regions.all()) {
			if (!region.isServing()) {
				continue;
			}
			try {
				StreamMessageId after = this.lastRead.get(region.name());
				List<FleetStore.Entry> entries = this.store.read(region, after);
				if (entries.isEmpty() && after != null) {
					// The stream was recreated (a restarted or replaced server): start again from its newest entries.
					StreamMessageId newest = this.store.newest(region);
					if (newest == null || compare(newest, after) < 0) {
						this.lastRead.remove(region.name());
					}
					continue;
				}
				for (FleetStore.Entry entry : entries) {
					this.lastRead.put(region.name(), entry.id());
					FleetSnapshot snapshot = (entry.text() != null) ? FleetSnapshot.parse(entry.text(), this.signer) : null;
					if (snapshot == null || snapshot.atMillis() > futureLimit) {
						this.rejected.increment();
						continue;
					}
					this.view.offer(snapshot);
				}
			}
			catch (Exception ex) {
				interrupted(ex);
				logger.debug("Could not read fleet snapshots from region '" + region.name() + "'", ex);
			}
		}
	}

	/**
	 * Seeks or renews the leader's lease, in the first region (alphabetically) this instance can
	 * reach, so that instances that see the same regions agree on where the lease is.
	 */
	private boolean lead() {
		Region place = this.regions.all().stream().filter(Region::isServing).min(Comparator.comparing(Region::name)).orElse(null);
		Region previous = this.leaseHolder;
		if (previous != null && previous != place) {
			try {
				this.store.releaseLease(previous, this.instanceId);
			}
			catch (Exception ex) {
				interrupted(ex);
			}
			this.leaseHolder = null;
		}
		if (place == null) {
			return false;
		}
		try {
			boolean leader = this.store.acquireLease(place, this.instanceId, this.settings.leaderLease());
			this.leaseHolder = leader ? place : null;
			return leader;
		}
		catch (Exception ex) {
			interrupted(ex);
			this.leaseHolder = null;
			return false;
		}
	}

	private static int compare(StreamMessageId a, StreamMessageId b) {
		int first = Long.compareUnsigned(a.getId0(), b.getId0());
		return (first != 0) ? first : Long.compareUnsigned(a.getId1(), b.getId1());
	}

	private static void interrupted(Exception ex) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The newest snapshot of every instance heard from.
	 * @return the view
	 */
	public FleetView view() {
		return this.view;
	}

	/**
	 * Instances whose newest snapshot is not stale, this one included.
	 * @return the count
	 */
	public int freshInstances() {
		return this.view.fresh().size();
	}

	public String instanceId() {
		return this.instanceId;
	}

	/**
	 * Whether this instance held the leader's lease at its last round.
	 * @return whether it leads
	 */
	public boolean isLeader() {
		return this.leaseHolder != null;
	}

	/**
	 * The incidents this instance knows of, by region: open ones, and closed ones in their cool-down.
	 * @return the incidents
	 */
	public Map<String, IncidentView> incidents() {
		Map<String, IncidentView> incidents = new LinkedHashMap<>();
		this.coordinator.incidents().forEach((region, record) -> incidents.put(region, new IncidentView(record.id(), record.phase().name(),
				record.openedAt().toString(), (record.recoveredAt() != null) ? record.recoveredAt().toString() : null)));
		return incidents;
	}

	/**
	 * The last incident events this instance saw, oldest first.
	 * @return the events
	 */
	public List<TimelineEvent> timeline() {
		return this.coordinator.timeline();
	}

	/** Snapshots this instance published to at least one region. */
	public long publishedCount() {
		return this.published.sum();
	}

	/** Snapshots that could not be written to a region this instance saw serving. */
	public long publishFailures() {
		return this.publishFailures.sum();
	}

	/** Snapshots and incident records read back and rejected: malformed, from the future, or not signed. */
	public long rejectedCount() {
		return this.rejected.sum() + this.coordinator.rejected();
	}

	/** Incidents this instance opened as leader. */
	public long incidentsOpened() {
		return this.coordinator.opened();
	}

	/** Incidents this instance closed as leader. */
	public long incidentsClosed() {
		return this.coordinator.closed();
	}

	/** Recovery actions that completed. */
	public long actionsInvoked() {
		return this.coordinator.invoked();
	}

	/** Recovery actions that failed or could not be started. */
	public long actionsFailed() {
		return this.coordinator.failed();
	}

	/** Incidents held back because the actions' rate limit was reached, each counted once however long it waits. */
	public long actionsRateLimited() {
		return this.coordinator.suppressed();
	}

	/**
	 * An incident as the fleet view shows it.
	 * @param id its identity
	 * @param phase FAILED, or RECOVERED during the cool-down
	 * @param openedAt when it opened (ISO-8601)
	 * @param recoveredAt when it recovered, {@code null} while failed
	 */
	public record IncidentView(String id, String phase, String openedAt, @Nullable String recoveredAt) {
	}

	/**
	 * One event of an incident as this instance saw it.
	 * @param at when (ISO-8601)
	 * @param incident the incident's identity
	 * @param region its region
	 * @param what opened, recovered, or an action's outcome (on the leader)
	 */
	public record TimelineEvent(String at, String incident, String region, String what) {
	}

}
