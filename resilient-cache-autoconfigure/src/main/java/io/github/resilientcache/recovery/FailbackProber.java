package io.github.resilientcache.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionIdentity;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import org.springframework.context.SmartLifecycle;

/**
 * The failback prober: on one background thread, every {@code interval} plus a random jitter, it
 * probes each failed region (a DBSIZE on every master, then a canary write and read) and, after
 * {@code successesToRecover} successes in a row, has it reconciled and brought back. It also drains
 * the journal of serving regions that missed a few writes. Probes bypass the breaker: they are what
 * decides the region is healthy again, not a timer.
 */
public final class FailbackProber implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(FailbackProber.class);

	private final Regions regions;

	private final RegionRecovery recovery;

	private final ReplayJournal journal;

	private final Duration interval;

	private final Duration jitter;

	private final int successesToRecover;

	private final Duration probeTimeout;

	private final String canaryKey;

	private final Map<String, ProbeResult> lastProbes = new ConcurrentHashMap<>();

	private final Map<String, Integer> streaks = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> runIds = new ConcurrentHashMap<>();

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Creates the prober.
	 * @param regions the regions
	 * @param recovery what reconciles a region
	 * @param journal the journal, to find serving regions that missed writes
	 * @param settings interval, jitter and successes to recover
	 * @param probeTimeout longest wait for one probe
	 * @param keyPrefix prefix of the canary key
	 */
	public FailbackProber(Regions regions, RegionRecovery recovery, ReplayJournal journal, ProbeSettings settings, Duration probeTimeout,
			String keyPrefix) {
		this.regions = regions;
		this.recovery = recovery;
		this.journal = journal;
		this.interval = settings.interval();
		this.jitter = settings.jitter();
		this.successesToRecover = settings.successesToRecover();
		this.probeTimeout = probeTimeout;
		this.canaryKey = keyPrefix + ":canary:" + journal.instanceId();
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "resilient-cache-failback");
				thread.setDaemon(true);
				return thread;
			});
			scheduleNext();
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService stopping;
		synchronized (this) {
			stopping = this.executor;
			this.executor = null;
		}
		if (stopping != null) {
			stopping.shutdownNow();
			// Outside the lock: a round that is finishing calls scheduleNext(), which takes it.
			try {
				stopping.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private synchronized void scheduleNext() {
		if (this.executor == null || this.executor.isShutdown()) {
			return;
		}
		long jitterMillis = this.jitter.isZero() ? 0 : ThreadLocalRandom.current().nextLong(this.jitter.toMillis() + 1);
		this.executor.schedule(this::tick, this.interval.toMillis() + jitterMillis, TimeUnit.MILLISECONDS);
	}

	/**
	 * One round: probes failed regions, recovers the ones that passed often enough, drains the
	 * journals of serving regions.
	 */
	void tick() {
		try {
			for (Region region : this.regions.all()) {
				RegionState state = region.state();
				if (state == RegionState.OPEN || state == RegionState.RECOVERING) {
					ProbeResult probe = probe(region);
					if (probe.success() && probe.consecutiveSuccesses() >= this.successesToRecover) {
						this.recovery.recover(region, probe.consecutiveSuccesses() + " probes in a row succeeded");
					}
				}
				else {
					// A streak counts only while the region is out: an old one must not bring it back.
					this.streaks.remove(region.name());
					if (state == RegionState.UP && restarted(region)) {
						region.transition(RegionState.UP, RegionState.OPEN,
								"a server restarted or failed over (run id changed): it may hold data older than writes it took");
					}
					else if (state == RegionState.UP && hasJournal(region) && probe(region).success()) {
						this.recovery.drain(region);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Failback round failed", ex);
		}
		finally {
			scheduleNext();
		}
	}

	/**
	 * Whether a master of the region restarted since this instance last saw it; if so, the region
	 * is marked for a full resync: its data may predate writes it acknowledged.
	 */
	private boolean restarted(Region region) {
		Set<String> current;
		try {
			current = RegionIdentity.runIds(region.store().client(), this.probeTimeout.toMillis());
		}
		catch (RuntimeException ex) {
			return false;
		}
		Set<String> known = this.runIds.put(region.name(), current);
		if (known != null && !current.containsAll(known)) {
			this.journal.requireResync(region);
			return true;
		}
		return false;
	}

	private boolean hasJournal(Region region) {
		if (this.journal.depth(region) > 0) {
			return true;
		}
		Region holder = this.journal.holderFor(region);
		try {
			return holder != null && this.journal.store().depth(holder.store().client(), region.name()) > 0;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Probes a region now.
	 * @param region the region
	 * @return the outcome
	 */
	public ProbeResult probe(Region region) {
		String failure = check(region.store().client());
		if (failure == null) {
			restarted(region);
		}
		int successes = (failure == null) ? this.streaks.merge(region.name(), 1, Integer::sum) : 0;
		if (failure != null) {
			this.streaks.remove(region.name());
		}
		ProbeResult result = new ProbeResult(region.name(), failure == null, successes, (failure != null) ? failure : "ok", Instant.now());
		this.lastProbes.put(region.name(), result);
		return result;
	}

	private @Nullable String check(RedissonClient client) {
		long timeout = this.probeTimeout.toMillis();
		try {
			client.getKeys().countAsync().toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
			String canary = Long.toString(System.nanoTime());
			RBucket<String> bucket = client.getBucket(this.canaryKey, StringCodec.INSTANCE);
			bucket.setAsync(canary, Duration.ofSeconds(10)).toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
			String read = bucket.getAsync().toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
			return canary.equals(read) ? null : "canary read back '" + read + "'";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
		catch (Exception ex) {
			Throwable cause = Region.unwrap(ex);
			return cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + firstLine(cause.getMessage()) : "");
		}
	}

	private static String firstLine(String message) {
		return Arrays.stream(message.split("\n")).findFirst().orElse(message);
	}

	/**
	 * The last probe of a region.
	 * @param region the region name
	 * @return the probe, {@code null} if the region was never probed
	 */
	public @Nullable ProbeResult lastProbe(String region) {
		return this.lastProbes.get(region);
	}

	/**
	 * Prober settings.
	 * @param interval time between rounds
	 * @param jitter largest random delay added to each interval
	 * @param successesToRecover consecutive successful probes before a region is reconciled
	 */
	public record ProbeSettings(Duration interval, Duration jitter, int successesToRecover) {
	}

}
