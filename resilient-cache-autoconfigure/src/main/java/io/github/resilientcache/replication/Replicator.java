package io.github.resilientcache.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.Version;
import org.jspecify.annotations.Nullable;

/**
 * The one write path: every put, eviction and clear goes to one region first (the local one when it
 * serves, else the next in failover order, each within the operation timeout) and then to the
 * others: in the background at the {@link ReplicationMode#ASYNC async} level; at the
 * {@link ReplicationMode#QUORUM quorum} and {@link ReplicationMode#ALL all} levels at once, the call
 * completing when enough regions acknowledged (or the budget is spent). A region that cannot take a
 * write gets it in the {@link ReplayJournal}: nothing is dropped silently, and no level makes a call
 * fail.
 * <p>
 * Everything runs on Redisson's async API: no thread waits on a remote region. Background
 * replication is bounded per target region (a bulkhead: a hung region uses up its own
 * {@code maxInFlight} permits, never another region's); a write that finds none is journaled
 * rather than queued without bound.
 */
public final class Replicator {

	private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final Regions regions;

	private final ReplicationMode mode;

	private final ReplayJournal journal;

	private final long timeoutNanos;

	private final Map<String, Semaphore> inFlight = new HashMap<>();

	private final int maxInFlight;

	private final LongAdder replicated = new LongAdder();

	private final LongAdder replicationNanos = new LongAdder();

	/**
	 * Creates the write path.
	 * @param regions the regions
	 * @param mode sync or async replication
	 * @param journal where missed writes go
	 * @param operationTimeout budget of the first region's write (failover included) and deadline
	 * of each replication
	 * @param maxInFlight bound of background replications in flight to each region
	 */
	public Replicator(Regions regions, ReplicationMode mode, ReplayJournal journal, Duration operationTimeout,
			int maxInFlight) {
		this.regions = regions;
		this.mode = mode;
		this.journal = journal;
		this.timeoutNanos = operationTimeout.toNanos();
		this.maxInFlight = maxInFlight;
		regions.all().forEach((region) -> this.inFlight.put(region.name(), new Semaphore(maxInFlight)));
	}

	/**
	 * Applies one write to every region at the default level, within the default budget.
	 * @param <T> the result of the first region's write
	 * @param write the write
	 * @return the outcome in the first region that took it; never fails
	 */
	public <T> CompletableFuture<WriteResult<T>> write(Write<T> write) {
		return write(write, this.mode, this.timeoutNanos);
	}

	/**
	 * Applies one write to every region.
	 * @param <T> the result of the first region's write
	 * @param write the write
	 * @param level how many regions must hold the write before the returned future completes
	 * @param budgetNanos budget of the whole call: the first region's write (failover included) and,
	 * at the quorum and all levels, the wait for the others; at the async level, the deadline of each
	 * background replication
	 * @return the outcome in the first region that took it, with the acknowledgements at the quorum
	 * and all levels; never fails
	 */
	public <T> CompletableFuture<WriteResult<T>> write(Write<T> write, ReplicationMode level, long budgetNanos) {
		long deadline = System.nanoTime() + budgetNanos;
		List<Region> skipped = new ArrayList<>();
		if (level == ReplicationMode.ASYNC) {
			return first(write, 0, deadline, skipped, null).thenApply((result) -> replicateInBackground(write, result, skipped, budgetNanos));
		}
		List<Region> failed = new ArrayList<>();
		return first(write, 0, deadline, skipped, failed).thenCompose((result) -> replicateAndWait(write, result, level, deadline, skipped, failed));
	}

	/** The async level: the other regions are written in the background, each bounded by its permits. */
	private <T> WriteResult<T> replicateInBackground(Write<T> write, WriteResult<T> result, List<Region> skipped, long timeoutNanos) {
		if (!result.taken()) {
			journalEverywhere(write);
			return result;
		}
		Function<RegionStore, ? extends CompletionStage<?>> replica = write.replica().apply(result.value());
		if (replica == null) {
			// Nothing to replicate: a putIfAbsent that found a value.
			skipped.forEach((region) -> this.journal.record(region, write.key(), notServing(region)));
			return result;
		}
		List<Region> targets = new ArrayList<>(skipped);
		List<Region> all = this.regions.all();
		for (int i = result.region() + 1; i < all.size(); i++) {
			targets.add(all.get(i));
		}
		for (Region region : targets) {
			if (!region.acceptsWrites()) {
				this.journal.record(region, write.key(), notServing(region));
			}
			else if (permits(region).tryAcquire()) {
				replicate(region, write.key(), replica, timeoutNanos, true).whenComplete((v, ex) -> permits(region).release());
			}
			else {
				this.journal.record(region, write.key(), "replication queue full (" + this.maxInFlight + " in flight)");
			}
		}
		return result;
	}

	/**
	 * The quorum and all levels: the other regions are written at once, and the call waits until
	 * enough of them acknowledged or every one answered, never past the deadline: a region that has
	 * not acknowledged by then fails its write, which journals it.
	 */
	private <T> CompletableFuture<WriteResult<T>> replicateAndWait(Write<T> write, WriteResult<T> result, ReplicationMode level,
			long deadline, List<Region> skipped, List<Region> failed) {
		List<Region> all = this.regions.all();
		if (!result.taken()) {
			journalEverywhere(write);
			return CompletableFuture.completedFuture(result.with(new Acknowledgements(level.level(), level.required(all.size()), List.of(),
					all.stream().map(Region::name).toList(), List.of())));
		}
		Function<RegionStore, ? extends CompletionStage<?>> replica = write.replica().apply(result.value());
		if (replica == null) {
			skipped.forEach((region) -> this.journal.record(region, write.key(), notServing(region)));
			return CompletableFuture.completedFuture(result);
		}
		AcknowledgementWait wait = new AcknowledgementWait(level, all);
		failed.forEach(wait::journaled);
		wait.acknowledged(all.get(result.region()));
		List<Region> targets = new ArrayList<>(skipped);
		targets.addAll(all.subList(result.region() + 1, all.size()));
		for (Region region : targets) {
			long remaining = deadline - System.nanoTime();
			if (!region.acceptsWrites() || remaining < MIN_ATTEMPT_NANOS) {
				// Failed over or offline: journaled, not waited for (its breaker already said it cannot answer).
				this.journal.record(region, write.key(), notServing(region));
				wait.journaled(region);
			}
			else {
				// Never longer than the region's own timeout either: its client gives up on a command then.
				replicate(region, write.key(), replica, region.attemptNanos(remaining), false).thenAccept((acknowledged) -> {
					if (acknowledged) {
						wait.acknowledged(region);
					}
					else {
						wait.journaled(region);
					}
				});
			}
		}
		return wait.done().thenApply(result::with);
	}

	/** No region took the write: none holds its value, so replay must delete the key everywhere rather than copy an older value back. */
	private void journalEverywhere(Write<?> write) {
		this.regions.all().forEach((region) -> this.journal.record(region, write.key(), ReplayJournal.Repair.DELETE, write.version(),
				"no region took the write"));
	}

	private <T> CompletableFuture<WriteResult<T>> first(Write<T> write, int from, long deadline, List<Region> skipped,
			@Nullable List<Region> failed) {
		List<Region> all = this.regions.all();
		for (int i = from; i < all.size(); i++) {
			Region region = all.get(i);
			long remaining = deadline - System.nanoTime();
			if (!region.isServing() || remaining < MIN_ATTEMPT_NANOS) {
				// A call with (almost) no time left would fail and count against a healthy region's breaker.
				skipped.add(region);
				continue;
			}
			int index = i;
			return region.callAsync(write.operation(), region.attemptNanos(remaining)).handle((value, ex) -> {
				if (ex == null) {
					return CompletableFuture.completedFuture(new WriteResult<>(index, value));
				}
				this.journal.record(region, write.key(), Region.unwrap(ex).getMessage());
				if (failed != null) {
					failed.add(region);
				}
				return first(write, index + 1, deadline, skipped, failed);
			}).thenCompose(Function.identity());
		}
		return CompletableFuture.completedFuture(new WriteResult<>(-1, null));
	}

	/**
	 * One replication; completes with whether the region acknowledged (else it was journaled), never
	 * fails. In the background (the async level) its duration does not count as a slow call of the
	 * region ({@link Region#callInBackground}).
	 */
	private CompletableFuture<Boolean> replicate(Region region, String key, Function<RegionStore, ? extends CompletionStage<?>> operation,
			long timeoutNanos, boolean background) {
		long start = System.nanoTime();
		@SuppressWarnings("unchecked")
		Function<RegionStore, CompletionStage<Object>> call = (Function<RegionStore, CompletionStage<Object>>) (Function<?, ?>) operation;
		CompletableFuture<Object> replicated = background ? region.callInBackground(call, timeoutNanos) : region.callAsync(call, timeoutNanos);
		return replicated.handle((value, ex) -> {
			if (ex != null) {
				this.journal.record(region, key, Region.unwrap(ex).getMessage());
				return false;
			}
			this.replicated.increment();
			this.replicationNanos.add(System.nanoTime() - start);
			return true;
		});
	}

	/**
	 * Waits, at shutdown, for the replications in flight, so that any that fails is journaled while
	 * the clients can still write the journal.
	 */
	public void close() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		try {
			for (Semaphore permits : this.inFlight.values()) {
				// All permits free means nothing is in flight to that region.
				if (permits.tryAcquire(this.maxInFlight, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					permits.release(this.maxInFlight);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Semaphore permits(Region region) {
		return this.inFlight.get(region.name());
	}

	private static String notServing(Region region) {
		return region.isServing() ? "operation timeout spent" : "region " + region.state().name().toLowerCase();
	}

	/**
	 * Replications now in flight in the background.
	 * @return the number
	 */
	public int inFlight() {
		return this.inFlight.values().stream().mapToInt((permits) -> this.maxInFlight - permits.availablePermits()).sum();
	}

	/**
	 * Replications completed since start.
	 * @return the number
	 */
	public long replicated() {
		return this.replicated.sum();
	}

	/**
	 * Total time replications took, for the mean replication lag.
	 * @return nanoseconds
	 */
	public long replicationNanos() {
		return this.replicationNanos.sum();
	}

	public ReplicationMode mode() {
		return this.mode;
	}

	public ReplayJournal journal() {
		return this.journal;
	}

	/**
	 * One write: what the first region runs and what the others run after it.
	 * @param <T> the first region's result
	 * @param key the Redis key, or the journal entry of the write (for a clear)
	 * @param version the writer's version, {@code null} for a clear: if no region takes the write,
	 * replay deletes the key in each region unless it holds a newer version
	 * @param operation the write on the first region
	 * @param replica given the first region's result, the write on the other regions, or
	 * {@code null} when they need none (a putIfAbsent that found a value)
	 */
	public record Write<T>(String key, @Nullable Version version, Function<RegionStore, CompletionStage<T>> operation,
			Function<@Nullable T, @Nullable Function<RegionStore, ? extends CompletionStage<?>>> replica) {

		/**
		 * A write that every region runs the same way.
		 * @param <T> the result type
		 * @param key the key
		 * @param operation the write
		 * @return the write
		 */
		public static <T> Write<T> everywhere(String key, Function<RegionStore, CompletionStage<T>> operation) {
			return new Write<>(key, null, operation, (result) -> operation);
		}

	}

	/**
	 * Outcome of a write in the first region that took it.
	 * @param <T> the result type
	 * @param region index of that region in failover order, {@code -1} when no region took it
	 * (then every region has it in its journal)
	 * @param value its result
	 * @param acknowledgements which regions held the write when the call returned, at the quorum and
	 * all levels; {@code null} at the async level and when nothing was replicated
	 */
	public record WriteResult<T>(int region, @Nullable T value, @Nullable Acknowledgements acknowledgements) {

		/**
		 * An outcome without acknowledgements (the async level, or no replication needed).
		 * @param region index of the region that took the write, {@code -1} for none
		 * @param value its result
		 */
		public WriteResult(int region, @Nullable T value) {
			this(region, value, null);
		}

		public boolean taken() {
			return this.region >= 0;
		}

		WriteResult<T> with(Acknowledgements acknowledgements) {
			return new WriteResult<>(this.region, this.value, acknowledgements);
		}

	}

}
