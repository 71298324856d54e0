package io.github.resilientcache.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilientcache.fleet.FleetSnapshot.Cell;
import io.github.resilientcache.fleet.FleetStore.Holder;
import io.github.resilientcache.fleet.FleetTelemetry.TimelineEvent;
import io.github.resilientcache.fleet.RegionIncident.Observation;
import io.github.resilientcache.fleet.RegionIncident.Phase;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Opens and closes the fleet's incidents from the snapshots of the instances that report a region,
 * and invokes the {@link RegionRecoveryAction}s. Every instance reads the incident records (for the
 * fleet view); only the leader writes them. An incident opens when more than {@code quorum} of the
 * reporting instances have seen the region {@code OPEN} for longer than {@code threshold}: one
 * instance cut from a region is not an incident. An instance whose region is still
 * {@link FleetSnapshot.Cell#starting() starting} (not confirmed either way since it started) does
 * not report it: it neither counts toward a quorum nor raises the number needed. It closes when more than {@code quorum} see it
 * {@code UP} again. Each record is set only if absent, or replaced only if unchanged, in the first
 * region (alphabetically) other than the failed one that this instance can reach, so that the
 * actions fire once per incident even when two instances briefly believe they lead. A closed
 * record stays for the cool-down, during which no new incident of the region opens.
 * Runs on the telemetry thread; actions run on their own thread.
 */
final class IncidentCoordinator {

	private static final Log logger = LogFactory.getLog(IncidentCoordinator.class);

	private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

	private static final int TIMELINE = 50;

	private static final int PUBLISHED = 1024;

	private final Regions regions;

	private final FleetStore store;

	private final Signer signer;

	private final Settings settings;

	private final List<RegionRecoveryAction> actions;

	private final ExecutorService executor;

	private final RateLimiter rateLimiter;

	private final Clock clock;

	private final Map<String, IncidentRecord> known = new ConcurrentHashMap<>();

	private final Deque<TimelineEvent> timeline = new ArrayDeque<>();

	/**
	 * Incident phases already published, {@code <id>|<phase>}, newest last: what makes each
	 * published once even when this instance loses sight of the record for a while (its holder
	 * unreachable from here) and finds it again. Telemetry thread only.
	 */
	private final Set<String> published = Collections.newSetFromMap(new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > PUBLISHED;
		}

	});

	private final LongAdder opened = new LongAdder();

	private final LongAdder closed = new LongAdder();

	private final LongAdder invoked = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder suppressed = new LongAdder();

	private volatile Consumer<FleetIncidentEvent> events = (event) -> {
	};

	/** Regions whose incident the rate limit holds back now (telemetry thread only). */
	private final Set<String> deferred = new HashSet<>();

	IncidentCoordinator(Regions regions, FleetStore store, Signer signer, Settings settings, List<RegionRecoveryAction> actions,
			ExecutorService executor, RateLimiter rateLimiter, Clock clock) {
		this.regions = regions;
		this.store = store;
		this.signer = signer;
		this.settings = settings;
		this.actions = List.copyOf(actions);
		this.executor = executor;
		this.rateLimiter = rateLimiter;
		this.clock = clock;
	}

	/**
	 * When an incident opens and closes.
	 * @param quorum share of the reporting instances, more than which decides
	 * @param threshold how long a quorum must have seen the region failed
	 * @param coolDown how long after an incident closed no new one of that region opens
	 */
	record Settings(double quorum, Duration threshold, Duration coolDown) {
	}

	/**
	 * Where to publish the {@link FleetIncidentEvent}s: an application's event publisher.
	 * @param events what publishes them, on the telemetry thread
	 */
	void publishTo(Consumer<FleetIncidentEvent> events) {
		this.events = events;
	}

	/**
	 * One round: reads every region's incident record and, on the leader, opens or closes incidents.
	 */
	void evaluate(List<FleetSnapshot> fresh, boolean leader) {
		for (Region region : this.regions.all()) {
			Holder holder = holder(region.name());
			if (holder == null) {
				continue;
			}
			try {
				evaluate(region.name(), holder, fresh, leader);
			}
			catch (Exception ex) {
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
					return;
				}
				logger.debug("Could not evaluate the fleet's incident of region '" + region.name() + "'", ex);
			}
		}
	}

	private void evaluate(String region, Holder holder, List<FleetSnapshot> fresh, boolean leader) throws Exception {
		String text = this.store.readIncident(holder.region(), region);
		IncidentRecord record = (text != null) ? IncidentRecord.parse(text, this.signer, region) : null;
		if (text != null && record == null) {
			this.rejected.increment();
			logger.warn("Removing the fleet's incident record of region '" + region + "' in region '" + holder.region().name()
					+ "': malformed" + (this.signer.enabled() ? " or not signed with the coordination secret" : ""));
			if (leader) {
				this.store.replaceIncident(holder, text, "", Duration.ZERO);
			}
			return;
		}
		seen(region, record, false);
		if (!leader) {
			return;
		}
		List<Observation> down = observations(fresh, region, RegionState.OPEN);
		// An instance that has not confirmed the region either way since it started reports nothing of it yet.
		int reporting = (int) fresh.stream().map((snapshot) -> snapshot.regions().get(region))
			.filter((cell) -> cell != null && !cell.starting()).count();
		int needed = (int) Math.floor(this.settings.quorum() * reporting) + 1;
		boolean failed = false;
		if (record == null && reporting > 0 && down.size() >= needed) {
			Instant quorumSince = down.stream().map(Observation::since).sorted().toList().get(needed - 1);
			failed = !quorumSince.plus(this.settings.threshold()).isAfter(this.clock.instant());
		}
		if (failed) {
			open(region, holder, reporting, down);
			return;
		}
		this.deferred.remove(region);
		if (record != null && record.phase() == Phase.FAILED) {
			List<Observation> up = observations(fresh, region, RegionState.UP);
			if (reporting > 0 && up.size() >= needed) {
				close(record, holder, text, reporting, up);
			}
		}
	}

	private void open(String region, Holder holder, int reporting, List<Observation> down) throws Exception {
		if (!this.rateLimiter.acquirePermission()) {
			// Asked again every round while the limit holds: counted and logged once per incident held back.
			if (this.deferred.add(region)) {
				this.suppressed.increment();
				logger.warn("Region '" + region + "' has failed for the fleet, but recovery actions are rate limited "
						+ "(resilient-cache.fleet.max-actions per resilient-cache.fleet.max-actions-period): the incident opens once the limit allows");
			}
			return;
		}
		this.deferred.remove(region);
		// Milliseconds, as the record keeps them: every instance sees the same instants.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		IncidentRecord record = new IncidentRecord(region + "-" + ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8), region,
				now, Phase.FAILED, null);
		if (!this.store.openIncident(holder, record.encode(this.signer))) {
			return;
		}
		this.opened.increment();
		seen(region, record, true);
		RegionIncident incident = new RegionIncident(record.id(), region, Phase.FAILED, now, null, reporting, down);
		logger.warn("Fleet incident " + record.id() + ": region '" + region + "' failed for " + down.size() + " of " + reporting
				+ " reporting instances; invoking " + this.actions.size() + " recovery action(s)");
		invoke(incident);
	}

	private void close(IncidentRecord record, Holder holder, String text, int reporting, List<Observation> up) throws Exception {
		// Milliseconds, as the record keeps them: every instance sees the same instants.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		IncidentRecord recovered = record.recovered(now);
		if (!this.store.replaceIncident(holder, text, recovered.encode(this.signer), this.settings.coolDown())) {
			return;
		}
		this.closed.increment();
		seen(record.region(), recovered, true);
		logger.info("Fleet incident " + record.id() + ": region '" + record.region() + "' serves again for " + up.size() + " of " + reporting
				+ " reporting instances");
		invoke(new RegionIncident(record.id(), record.region(), Phase.RECOVERED, record.openedAt(), now, reporting, up));
	}

	private void invoke(RegionIncident incident) {
		for (RegionRecoveryAction action : this.actions) {
			try {
				this.executor.execute(() -> run(action, incident));
			}
			catch (RejectedExecutionException ex) {
				this.failed.increment();
				logger.warn("Recovery action " + action.getClass().getName() + " not invoked for incident " + incident.id()
						+ ": too many actions pending or the application is stopping");
			}
		}
	}

	private void run(RegionRecoveryAction action, RegionIncident incident) {
		try {
			if (incident.phase() == Phase.FAILED) {
				action.regionFailed(incident);
			}
			else {
				action.regionRecovered(incident);
			}
			this.invoked.increment();
			record(incident.id(), incident.region(), "action " + action.getClass().getSimpleName() + " done (" + incident.phase() + ")");
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.failed.increment();
			record(incident.id(), incident.region(), "action " + action.getClass().getSimpleName() + " failed (" + incident.phase() + ")");
			logger.warn("Recovery action " + action.getClass().getName() + " failed for incident " + incident.id() + ": " + ex);
		}
	}

	private List<Observation> observations(List<FleetSnapshot> fresh, String region, RegionState state) {
		List<Observation> observations = new ArrayList<>();
		for (FleetSnapshot snapshot : fresh) {
			Cell cell = snapshot.regions().get(region);
			if (cell != null && cell.state() == state && !cell.starting()) {
				observations.add(new Observation(snapshot.instance(), snapshot.localRegion(), cell.state().name(),
						Instant.ofEpochMilli(cell.sinceMillis()), cell.breaker(), cell.failureRate(), cell.reason()));
			}
		}
		observations.sort(Comparator.comparing(Observation::since));
		return observations;
	}

	/**
	 * Where a region's record is: the first region, alphabetically, other than it that this
	 * instance can reach; {@code null} when there is none (a single region cannot hold its own).
	 */
	private @Nullable Holder holder(String failed) {
		return this.regions.all().stream().filter((region) -> !region.name().equals(failed) && region.isServing())
			.min(Comparator.comparing(Region::name)).map((region) -> new Holder(region, failed)).orElse(null);
	}

	/**
	 * What this instance knows of a region's incident: a new incident, or a new phase of one, goes on
	 * the timeline and is published, once per instance whatever it read in between.
	 */
	private void seen(String region, @Nullable IncidentRecord record, boolean decidedHere) {
		IncidentRecord previous = (record != null) ? this.known.put(region, record) : this.known.remove(region);
		if (record != null && (previous == null || !previous.id().equals(record.id()) || previous.phase() != record.phase())) {
			record(record.id(), region, (record.phase() == Phase.FAILED) ? "opened" : "recovered");
			if (this.published.add(record.id() + "|" + record.phase())) {
				publish(new FleetIncidentEvent(this.regions, record.id(), region, record.phase(), record.openedAt(), record.recoveredAt(),
						decidedHere));
			}
		}
	}

	private void publish(FleetIncidentEvent event) {
		try {
			this.events.accept(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of " + event + " failed", ex);
		}
	}

	private void record(String id, String region, String what) {
		synchronized (this.timeline) {
			this.timeline.addLast(new TimelineEvent(this.clock.instant().toString(), id, region, what));
			while (this.timeline.size() > TIMELINE) {
				this.timeline.removeFirst();
			}
		}
	}

	/**
	 * The incidents this instance knows of, by region: open ones, and closed ones in their cool-down.
	 */
	Map<String, IncidentRecord> incidents() {
		return Map.copyOf(this.known);
	}

	/**
	 * The last incident events this instance saw, oldest first.
	 */
	List<TimelineEvent> timeline() {
		synchronized (this.timeline) {
			return List.copyOf(this.timeline);
		}
	}

	long opened() {
		return this.opened.sum();
	}

	long closed() {
		return this.closed.sum();
	}

	long invoked() {
		return this.invoked.sum();
	}

	long failed() {
		return this.failed.sum();
	}

	long rejected() {
		return this.rejected.sum();
	}

	long suppressed() {
		return this.suppressed.sum();
	}

}
