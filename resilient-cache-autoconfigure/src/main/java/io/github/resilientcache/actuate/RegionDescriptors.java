package io.github.resilientcache.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.FailbackProber;
import io.github.resilientcache.recovery.ProbeResult;
import io.github.resilientcache.recovery.ReconciliationResult;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.recovery.ReplayResult;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Describes regions as health details, the endpoint and the stream show them: states, breakers,
 * probes, journals and replays. Reads in-memory state only (no call to Redis), so that a health
 * check never waits on a failing region. Never shows addresses or credentials: messages are
 * redacted.
 */
public final class RegionDescriptors {

	private final Regions regions;

	private final ReplayJournal journal;

	private final @Nullable FailbackProber prober;

	private final @Nullable RegionRecovery recovery;

	private final @Nullable AntiEntropyReconciler reconciler;

	/**
	 * Creates the descriptors.
	 * @param regions the regions
	 * @param journal the replay journal
	 * @param prober the failback prober, {@code null} without recovery
	 * @param recovery the region recovery, {@code null} without recovery
	 * @param reconciler the anti-entropy reconciler, {@code null} without recovery
	 */
	public RegionDescriptors(Regions regions, ReplayJournal journal, @Nullable FailbackProber prober, @Nullable RegionRecovery recovery,
			@Nullable AntiEntropyReconciler reconciler) {
		Assert.notNull(regions, "'regions' must not be null");
		Assert.notNull(journal, "'journal' must not be null");
		this.regions = regions;
		this.journal = journal;
		this.prober = prober;
		this.recovery = recovery;
		this.reconciler = reconciler;
	}

	Regions regions() {
		return this.regions;
	}

	/**
	 * Every region, local first.
	 * @return descriptors by region name
	 */
	public Map<String, RegionDescriptor> describeAll() {
		Map<String, RegionDescriptor> all = new LinkedHashMap<>();
		this.regions.all().forEach((region) -> all.put(region.name(), describe(region)));
		return all;
	}

	/**
	 * One region.
	 * @param region the region
	 * @return its descriptor
	 */
	public RegionDescriptor describe(Region region) {
		CircuitBreaker.Metrics metrics = region.circuitBreaker().getMetrics();
		ProbeResult probe = (this.prober != null) ? this.prober.lastProbe(region.name()) : null;
		ReplayResult replay = (this.recovery != null) ? this.recovery.lastResult(region.name()) : null;
		return new RegionDescriptor(region.state().name(), Redaction.redact(region.stateReason()), region.stateSince().toString(),
				region.isLocal(), region.circuitBreaker().getState().name(), metrics.getFailureRate(), metrics.getSlowCallRate(),
				(probe != null) ? new ProbeDescriptor(probe.at().toString(), probe.success(), Redaction.redact(probe.message())) : null,
				this.journal.depth(region), (replay != null) ? replay.describe() : null);
	}

	/**
	 * The last anti-entropy run.
	 * @return its descriptor, {@code null} before the first run or without recovery
	 */
	public @Nullable ReconciliationDescriptor lastReconciliation() {
		ReconciliationResult result = (this.reconciler != null) ? this.reconciler.lastResult() : null;
		return (result != null) ? ReconciliationDescriptor.of(result) : null;
	}

	/**
	 * A region as health details and the endpoint show it.
	 * @param state its state: UP, OPEN, RECOVERING or OFFLINE
	 * @param reason why it is in that state
	 * @param since when it entered the state (ISO-8601)
	 * @param local whether this instance runs in the region
	 * @param breaker its circuit breaker's state
	 * @param failureRate failure rate of the breaker's window in percent, -1 until the window holds
	 * its minimum number of calls
	 * @param slowCallRate slow-call rate of the breaker's window in percent, -1 likewise
	 * @param lastProbe the last failback probe, {@code null} if it was never probed
	 * @param journalDepth keys journaled for the region that it has not received yet
	 * @param lastReplay what the last replay of its journal did, {@code null} if never replayed
	 */
	public record RegionDescriptor(String state, String reason, String since, boolean local, String breaker, float failureRate,
			float slowCallRate, @Nullable ProbeDescriptor lastProbe, long journalDepth, @Nullable String lastReplay) {
	}

	/**
	 * A failback probe.
	 * @param time when it ran (ISO-8601)
	 * @param success whether the region answered
	 * @param message what failed, or "ok"
	 */
	public record ProbeDescriptor(String time, boolean success, String message) {
	}

	/**
	 * An anti-entropy run.
	 * @param finished when it finished (ISO-8601)
	 * @param keysChecked keys compared
	 * @param divergent keys whose regions disagreed
	 * @param repaired keys repaired
	 * @param durationMillis how long it took
	 * @param summary one line for humans, including why a run was skipped
	 */
	public record ReconciliationDescriptor(String finished, long keysChecked, long divergent, long repaired, long durationMillis,
			String summary) {

		static ReconciliationDescriptor of(ReconciliationResult result) {
			return new ReconciliationDescriptor(result.finished().toString(), result.keysChecked(), result.divergent(), result.repaired(),
					result.duration().toMillis(), result.describe());
		}

	}

}
