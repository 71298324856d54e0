package io.github.resilientcache.actuate;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilientcache.cache.CacheStatistics;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.cache.NearCache;
import io.github.resilientcache.cache.NearInvalidations;
import io.github.resilientcache.recovery.ReconciliationCompletedEvent;
import io.github.resilientcache.recovery.ReconciliationResult;
import io.github.resilientcache.recovery.RegionReplayedEvent;
import io.github.resilientcache.recovery.RegionStatusBroadcaster;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.RegionStateChangedEvent;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.replication.Replicator;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.util.Assert;

/**
 * Binds the meters listed in {@link ResilientCacheMeters}: per region, per cache (bound when the
 * cache is first used) and for replication and recovery. Reads existing state where there is state
 * to read; counts replays, reconciliations and state changes from their application events.
 */
public final class ResilientCacheMetrics implements MeterBinder {

	private final Regions regions;

	private final MultiRegionCacheManager cacheManager;

	private final ReplayJournal journal;

	private final Replicator replicator;

	private final Map<String, LongAdder> replayed = new LinkedHashMap<>();

	private final Map<String, Map<RegionState, LongAdder>> transitions = new LinkedHashMap<>();

	private final LongAdder divergent = new LongAdder();

	private final LongAdder repaired = new LongAdder();

	private final List<Timer> reconciliationTimers = new CopyOnWriteArrayList<>();

	private final HybridLogicalClock clock;

	private final @Nullable RegionStatusBroadcaster broadcaster;

	/**
	 * Creates the binder.
	 * @param regions the regions
	 * @param cacheManager the cache manager
	 * @param journal the replay journal
	 * @param replicator the write path
	 * @param clock the clock that versions writes
	 * @param broadcaster the status broadcaster, {@code null} without recovery
	 */
	public ResilientCacheMetrics(Regions regions, MultiRegionCacheManager cacheManager, ReplayJournal journal, Replicator replicator,
			HybridLogicalClock clock, @Nullable RegionStatusBroadcaster broadcaster) {
		Assert.notNull(regions, "'regions' must not be null");
		Assert.notNull(cacheManager, "'cacheManager' must not be null");
		Assert.notNull(journal, "'journal' must not be null");
		Assert.notNull(replicator, "'replicator' must not be null");
		this.regions = regions;
		this.cacheManager = cacheManager;
		this.journal = journal;
		this.replicator = replicator;
		this.clock = clock;
		this.broadcaster = broadcaster;
		for (Region region : regions.all()) {
			this.replayed.put(region.name(), new LongAdder());
			Map<RegionState, LongAdder> byState = new EnumMap<>(RegionState.class);
			for (RegionState state : RegionState.values()) {
				byState.put(state, new LongAdder());
			}
			this.transitions.put(region.name(), byState);
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.regions.all().forEach((region) -> bindRegion(registry, region));
		Gauge.builder(ResilientCacheMeters.REPLICATION_IN_FLIGHT.getName(), this.replicator, Replicator::inFlight)
			.description(ResilientCacheMeters.REPLICATION_IN_FLIGHT.getDescription())
			.strongReference(true)
			.register(registry);
		CacheMeters.counter(registry, ResilientCacheMeters.REPLICATION_COMPLETED, Tags.empty(), this.replicator, Replicator::replicated);
		FunctionTimer.builder(ResilientCacheMeters.REPLICATION_LAG.getName(), this.replicator, Replicator::replicated,
				Replicator::replicationNanos, TimeUnit.NANOSECONDS)
			.description(ResilientCacheMeters.REPLICATION_LAG.getDescription())
			.register(registry);
		CacheMeters.counter(registry, ResilientCacheMeters.VERSIONS_REFUSED, Tags.empty(), this.clock, HybridLogicalClock::refusedCount);
		CacheMeters.counter(registry, ResilientCacheMeters.JOURNAL_REJECTED, Tags.empty(), this.journal, ReplayJournal::rejectedCount);
		if (this.broadcaster != null) {
			CacheMeters.counter(registry, ResilientCacheMeters.COORDINATION_REJECTED, Tags.empty(), this.broadcaster,
					RegionStatusBroadcaster::rejectedCount);
		}
		CacheMeters.counter(registry, ResilientCacheMeters.RECONCILIATION_DIVERGENT, Tags.empty(), this.divergent, LongAdder::sum);
		CacheMeters.counter(registry, ResilientCacheMeters.RECONCILIATION_REPAIRED, Tags.empty(), this.repaired, LongAdder::sum);
		this.reconciliationTimers.add(Timer.builder(ResilientCacheMeters.RECONCILIATION_DURATION.getName())
			.description(ResilientCacheMeters.RECONCILIATION_DURATION.getDescription())
			.register(registry));
		NearInvalidations near = this.cacheManager.getNearInvalidations();
		if (near != null) {
			NearCacheMeters.bindLag(registry, near);
		}
		// Caches are created on first use: bind the ones that exist and each one that appears later.
		this.cacheManager.addCacheCreatedListener((name) -> bindCache(registry, name));
		this.cacheManager.getCacheNames().forEach((name) -> bindCache(registry, name));
	}

	private void bindRegion(MeterRegistry registry, Region region) {
		Tags tags = Tags.of(ResilientCacheMeters.Tag.REGION.asString(), region.name());
		Gauge.builder(ResilientCacheMeters.REGION_STATE.getName(), region, (r) -> code(r.state()))
			.tags(tags)
			.description(ResilientCacheMeters.REGION_STATE.getDescription())
			.strongReference(true)
			.register(registry);
		for (RegionState state : RegionState.values()) {
			Tags stateTags = tags.and(ResilientCacheMeters.Tag.STATE.asString(), state.name());
			Gauge.builder(ResilientCacheMeters.REGION_IN_STATE.getName(), region, (r) -> (r.state() == state) ? 1 : 0)
				.tags(stateTags)
				.description(ResilientCacheMeters.REGION_IN_STATE.getDescription())
				.strongReference(true)
				.register(registry);
			CacheMeters.counter(registry, ResilientCacheMeters.REGION_TRANSITIONS, stateTags, this.transitions.get(region.name()).get(state),
					LongAdder::sum);
		}
		Gauge.builder(ResilientCacheMeters.JOURNAL_DEPTH.getName(), region, this.journal::depth)
			.tags(tags)
			.description(ResilientCacheMeters.JOURNAL_DEPTH.getDescription())
			.strongReference(true)
			.register(registry);
		CacheMeters.counter(registry, ResilientCacheMeters.JOURNAL_RECORDED, tags, region, this.journal::recorded);
		CacheMeters.counter(registry, ResilientCacheMeters.REPLAY_ENTRIES, tags, this.replayed.get(region.name()), LongAdder::sum);
	}

	private void bindCache(MeterRegistry registry, String name) {
		CacheStatistics statistics = this.cacheManager.getStatistics(name);
		if (statistics != null) {
			CacheMeters.bind(registry, name, statistics);
		}
		NearCache near = this.cacheManager.getNearCache(name);
		if (near != null) {
			NearCacheMeters.bind(registry, near);
		}
	}

	/**
	 * The value of the {@code resilient.region.state} gauge: higher is further from serving.
	 * @param state the state
	 * @return 0 UP, 1 RECOVERING, 2 OPEN, 3 OFFLINE
	 */
	static int code(RegionState state) {
		return switch (state) {
			case UP -> 0;
			case RECOVERING -> 1;
			case OPEN -> 2;
			case OFFLINE -> 3;
		};
	}

	@EventListener
	void onStateChanged(RegionStateChangedEvent event) {
		Map<RegionState, LongAdder> byState = this.transitions.get(event.getChange().region());
		if (byState != null) {
			byState.get(event.getChange().to()).increment();
		}
	}

	@EventListener
	void onReplayed(RegionReplayedEvent event) {
		LongAdder adder = this.replayed.get(event.getResult().region());
		if (adder != null) {
			adder.add(event.getResult().keys());
		}
	}

	@EventListener
	void onReconciled(ReconciliationCompletedEvent event) {
		ReconciliationResult result = event.getResult();
		if (result.skipped() == null) {
			this.divergent.add(result.divergent());
			this.repaired.add(result.repaired());
			this.reconciliationTimers.forEach((timer) -> timer.record(result.duration()));
		}
	}

}
