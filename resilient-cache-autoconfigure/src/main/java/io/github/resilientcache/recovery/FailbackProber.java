package io.github.resilientcache.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The prober: the only judge, besides the breaker, of whether a region is reachable. On its own
 * thread ({@code resilient-cache-probe}), every {@code interval} plus a random jitter, it probes
 * every region not offline, all at once (see {@link RegionProbe}):
 * <ul>
 * <li>an {@code OPEN} region that passed {@code successesToRecover} probes in a row is handed to
 * {@link RegionRecovery} (which reconciles it on its own thread, then makes it serve);</li>
 * <li>a serving region that fails a probe is probed again at once, and fails over only if that
 * confirming probe fails too; one whose server restarted (a changed run id) fails over for a full
 * resync; one that serves but missed writes has its journal drained.</li>
 * </ul>
 * A hint (a lost connection, an exhausted pool, another instance's report) asks for the same
 * confirmation at once, never a transition by itself. At start every region is probed before the
 * application serves: a region that answers is reconciled and serves, one that does not stays
 * {@code OPEN}, {@link Region#isStarting() starting} until two periodic probes in a row fail (a
 * confirmed failure) or enough succeed.
 */
public final class FailbackProber implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(FailbackProber.class);

	private static final Duration START_WAIT = Duration.ofSeconds(10);

	private final Regions regions;

	private final RegionRecovery recovery;

	private final ReplayJournal journal;

	private final ProbeSettings settings;

	private final RegionProbe probe;

	private final Map<String, ProbeResult> lastProbes = new ConcurrentHashMap<>();

	private final Map<String, Integer> streaks = new ConcurrentHashMap<>();

	private final Set<String> confirming = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Creates the prober.
	 * @param regions the regions
	 * @param recovery what reconciles a region
	 * @param journal the journal, to find serving regions that missed writes
	 * @param settings interval, jitter, successes to recover and probe timeout
	 * @param instanceId this instance's identity, for its canary key
	 */
	public FailbackProber(Regions regions, RegionRecovery recovery, ReplayJournal journal, ProbeSettings settings, String instanceId) {
		this.regions = regions;
		this.recovery = recovery;
		this.journal = journal;
		this.settings = settings;
		this.probe = new RegionProbe(regions.keys().canaryKey(instanceId), settings.timeout());
		for (Region region : regions.all()) {
			region.addHintListener((what) -> confirmSoon(region, what));
			// A streak counts only successes since the region last failed, whoever failed it.
			region.addStateListener((change) -> {
				if (change.to() == RegionState.OPEN) {
					this.streaks.remove(region.name());
				}
			});
		}
	}

	@Override
	public void start() {
		synchronized (this) {
			if (this.executor != null) {
				return;
			}
			this.executor = this.regions.threads().scheduler("resilient-cache-probe");
		}
		startUp();
		scheduleNext();
	}

	/**
	 * Probes every region once, on the starting thread, and reconciles those that answer, waiting
	 * a bounded time so that the application starts serving from them.
	 */
	private void startUp() {
		List<Region> all = this.regions.all();
		List<CompletableFuture<ProbeResult>> probes = all.stream().map(this::probeAsync).toList();
		List<Region> reachable = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) {
			Region region = all.get(i);
			ProbeResult result = probes.get(i).join();
			if (result.success() && region.beginRecovery("first probe succeeded")) {
				reachable.add(region);
			}
			else if (!result.success()) {
				logger.warn("Region '" + region.name() + "' does not answer at start (" + result.message() + "): kept out until probes succeed");
			}
		}
		List<CompletableFuture<Boolean>> recoveries = reachable.stream().map(this.recovery::recoverAtStart).toList();
		try {
			CompletableFuture.allOf(recoveries.toArray(CompletableFuture[]::new)).get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.info("Reconciliation at start goes on in the background: " + Region.unwrap(ex));
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
			this.regions.threads().shutdown(stopping);
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public int getPhase() {
		// After the broadcaster (which must hear other instances first), before the web server.
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

	private void scheduleNext() {
		ScheduledExecutorService current = this.executor;
		if (current == null) {
			return;
		}
		long jitterMillis = this.settings.jitter().isZero() ? 0 : ThreadLocalRandom.current().nextLong(this.settings.jitter().toMillis() + 1);
		try {
			current.schedule(this::round, this.settings.interval().toMillis() + jitterMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopping.
		}
	}

	/**
	 * One round: probes every region that is not offline, at once, and acts on the outcomes.
	 */
	void round() {
		try {
			List<Region> probed = this.regions.all().stream().filter((region) -> region.state() != RegionState.OFFLINE).toList();
			List<CompletableFuture<ProbeResult>> probes = probed.stream().map(this::probeAsync).toList();
			for (int i = 0; i < probed.size(); i++) {
				act(probed.get(i), probes.get(i).join(), "a periodic probe failed");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Probe round failed", ex);
		}
		finally {
			scheduleNext();
		}
	}

	private void act(Region region, ProbeResult result, String why) {
		RegionState state = region.state();
		if (state == RegionState.OPEN) {
			if (result.success() && result.consecutiveSuccesses() >= this.settings.successesToRecover()) {
				this.recovery.recoverAsync(region, result.consecutiveSuccesses() + " probes in a row succeeded", true);
			}
			else if (!result.success() && region.isStarting()) {
				confirmAtStart(region, result);
			}
			return;
		}
		if (state != RegionState.UP && state != RegionState.RECOVERING) {
			return;
		}
		if (state == RegionState.RECOVERING && result.success()) {
			// Normally already being reconciled (this joins the queued request or finds it done); it
			// also finishes an operator's bring-online whose reconciliation was cut short.
			this.recovery.resumeAsync(region);
		}
		if (result.restarted()) {
			region.fail(result.message());
			region.confirmed();
			return;
		}
		if (!result.success()) {
			// One failed probe is a hint too: a region fails over only when a second one confirms it,
			// and never on a failure of this client (a starved JVM): that says nothing of the region.
			ProbeResult confirmation = result.inconclusive() ? result : probeAsync(region).join();
			if (confirmation.restarted() || (!confirmation.success() && !confirmation.inconclusive())) {
				region.fail("confirmed by a probe (" + why + "): " + confirmation.message());
			}
			region.confirmed();
			return;
		}
		region.confirmed();
		if (state == RegionState.UP && hasJournal(region)) {
			this.recovery.drainAsync(region);
		}
	}

	/**
	 * A region that has not answered since start is a confirmed failure (for the fleet's incidents)
	 * only by the rule a serving region fails by: a second probe in a row fails too, neither in this
	 * client. A start-up probe that timed out on a starved machine confirms nothing.
	 */
	private void confirmAtStart(Region region, ProbeResult result) {
		if (result.inconclusive()) {
			return;
		}
		ProbeResult confirmation = probeAsync(region).join();
		if (!confirmation.success() && !confirmation.inconclusive()) {
			region.confirmUnreachableAtStart("unreachable since start, confirmed by a probe: " + confirmation.message());
		}
	}

	/**
	 * Asks for a confirming probe of a region at once, on the probe thread; several hints while
	 * one is pending make one probe.
	 * @param region the region
	 * @param what what was seen
	 */
	public void confirmSoon(Region region, String what) {
		ScheduledExecutorService current = this.executor;
		RegionState state = region.state();
		if (current == null || (state != RegionState.UP && state != RegionState.RECOVERING)) {
			region.confirmed();
			return;
		}
		if (!this.confirming.add(region.name())) {
			return;
		}
		logger.debug("Region '" + region.name() + "': " + what + "; probing it");
		try {
			current.execute(() -> {
				this.confirming.remove(region.name());
				try {
					act(region, probeAsync(region).join(), what);
				}
				catch (RuntimeException ex) {
					logger.warn("Confirming probe of region '" + region.name() + "' failed", ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.confirming.remove(region.name());
			region.confirmed();
		}
	}

	private boolean hasJournal(Region region) {
		if (this.journal.depth(region) > 0) {
			return true;
		}
		Region holder = this.journal.holderFor(region);
		try {
			return holder != null && this.journal.store().depth(holder.direct().client(), region.name()) > 0;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Probes a region now and keeps the outcome; a server found restarted marks the region for a
	 * full resync.
	 * @param region the region
	 * @return the outcome, never failed
	 */
	CompletableFuture<ProbeResult> probeAsync(Region region) {
		return this.probe.run(region, !region.isServing()).thenApply((outcome) -> {
			if (outcome.restarted()) {
				this.journal.requireResync(region);
			}
			int successes = outcome.success() ? this.streaks.merge(region.name(), 1, Integer::sum) : 0;
			if (!outcome.success()) {
				this.streaks.remove(region.name());
			}
			ProbeResult result = new ProbeResult(region.name(), outcome.success(), successes, outcome.message(), Instant.now(), outcome.restarted(),
					outcome.inconclusive());
			this.lastProbes.put(region.name(), result);
			return result;
		});
	}

	/**
	 * Probes a region now, on the calling thread.
	 * @param region the region
	 * @return the outcome
	 */
	public ProbeResult probe(Region region) {
		return probeAsync(region).join();
	}

	/**
	 * Whether the prober has learned the run ids of a region's masters, so that it can tell a restart.
	 * @param region the region name
	 * @return whether they are known
	 */
	boolean knowsRunIds(String region) {
		return this.probe.knowsRunIds(region);
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
	 * @param timeout longest wait for one probe
	 */
	public record ProbeSettings(Duration interval, Duration jitter, int successesToRecover, Duration timeout) {
	}

}
