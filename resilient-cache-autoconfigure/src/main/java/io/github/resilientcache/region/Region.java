package io.github.resilientcache.region;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One region: its store, its circuit breaker and its state. Every business call to the region goes
 * through {@link #call} or {@link #callAsync}, so that each outcome feeds the breaker and no call
 * outlives its deadline; background work (probes, replay, reconciliation, journal, coordination)
 * goes through {@link #direct()}, the one path that bypasses the breaker.
 * <p>
 * The state changes only through the named transitions of {@link RegionTransition}. A region starts
 * {@link RegionState#OPEN}: it serves once a probe confirmed it reachable and it was reconciled.
 * What fails it: the breaker opening on command outcomes, or a confirming probe. A connection event
 * (a lost or reset connection, a command a starved JVM did not send) is only a {@link #hint}.
 * A key of the wrong Redis type is a {@link PoisonedKeyException}, never a failure of the region.
 */
public final class Region {

	private static final Log logger = LogFactory.getLog(Region.class);

	/**
	 * The reason of a region that has been {@link RegionState#OPEN} since this instance started,
	 * no probe having confirmed it reachable or unreachable yet.
	 */
	public static final String STARTING = "not confirmed reachable yet: waiting for its first probe";

	private final String name;

	private final boolean local;

	private final RegionStore store;

	private final CircuitBreaker circuitBreaker;

	private final long attemptTimeoutNanos;

	private final AtomicReference<StateHolder> state;

	/** The state the region starts in: as long as it is the current one, the region is starting. */
	private final StateHolder initial;

	private final List<RegionStateListener> listeners = new CopyOnWriteArrayList<>();

	private final List<Consumer<String>> hintListeners = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	private volatile Executor events = Runnable::run;

	private volatile boolean connected;

	private volatile boolean suspect;

	/**
	 * Until the first successful call, Redisson's lazily initialized client opens its connections
	 * on the thread that sends the first commands, blocking it for up to the connect timeout (and
	 * longer when the server accepts but never answers). Those first operations start on this
	 * region's own connector thread instead, from a bounded queue, so that callers only ever wait
	 * their own deadline; an operation whose caller gave up is skipped, not sent.
	 */
	private volatile @Nullable Executor connector;

	/**
	 * Creates a region, {@link RegionState#OPEN} until a probe confirms it.
	 * @param name the region's name
	 * @param local whether the application instance runs in this region
	 * @param store the region's entry operations
	 * @param circuitBreaker the region's breaker
	 * @param attemptTimeout longest wait for one call, so that a hung region leaves time in the
	 * operation's budget to fail over to the next one
	 */
	public Region(String name, boolean local, RegionStore store, CircuitBreaker circuitBreaker, Duration attemptTimeout) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(circuitBreaker, "'circuitBreaker' must not be null");
		this.name = name;
		this.local = local;
		this.store = store;
		this.circuitBreaker = circuitBreaker;
		this.attemptTimeoutNanos = attemptTimeout.toNanos();
		this.initial = new StateHolder(RegionState.OPEN, STARTING, Instant.now());
		this.state = new AtomicReference<>(this.initial);
		// The rates that crossed a threshold, published by the breaker just before it opens: read
		// afterwards, its metrics may already belong to the new state and say 0%.
		AtomicReference<float[]> exceeded = new AtomicReference<>();
		circuitBreaker.getEventPublisher()
			.onFailureRateExceeded((event) -> exceeded.accumulateAndGet(new float[] { event.getFailureRate(), -1 }, Region::merge))
			.onSlowCallRateExceeded((event) -> exceeded.accumulateAndGet(new float[] { -1, event.getSlowCallRate() }, Region::merge))
			.onStateTransition((event) -> {
				CircuitBreaker.State to = event.getStateTransition().getToState();
				if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
					CircuitBreaker.Metrics metrics = circuitBreaker.getMetrics();
					float[] rates = merge(new float[] { metrics.getFailureRate(), metrics.getSlowCallRate() }, exceeded.getAndSet(null));
					fail(String.format("circuit breaker opened (failure rate %.0f%%, slow-call rate %.0f%%)", Math.max(0, rates[0]),
							Math.max(0, rates[1])));
				}
			});
	}

	/** Failure and slow-call rates, the second's where it has one (not negative). */
	private static float @Nullable [] merge(float @Nullable [] rates, float @Nullable [] newer) {
		if (rates == null) {
			return newer;
		}
		if (newer == null) {
			return rates;
		}
		return new float[] { (newer[0] >= 0) ? newer[0] : rates[0], (newer[1] >= 0) ? newer[1] : rates[1] };
	}

	/**
	 * Gives the region its own threads, from the owner of every background thread.
	 * @param threads the owner
	 */
	void useThreads(BackgroundThreads threads) {
		this.connector = threads.single("resilient-cache-connect-" + this.name, 1024, true);
		this.events = threads.single("resilient-cache-events-" + this.name, 10_000, true);
	}

	public String name() {
		return this.name;
	}

	public boolean isLocal() {
		return this.local;
	}

	/**
	 * The region's store without breaker or deadline: the one path for background work (probes,
	 * replay, resync, reconciliation, the journal and coordination between instances), which must
	 * neither open the breaker nor be stopped by it. Business calls use {@link #call} or
	 * {@link #callAsync}.
	 * @return the store
	 */
	public RegionStore direct() {
		return this.store;
	}

	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * The longest wait for one call to this region within an operation's remaining budget.
	 * @param remainingNanos what is left of the operation's budget
	 * @return the wait, never more than the region's attempt timeout
	 */
	public long attemptNanos(long remainingNanos) {
		return Math.min(remainingNanos, this.attemptTimeoutNanos);
	}

	public RegionState state() {
		return this.state.get().state();
	}

	/**
	 * Why the region is in its state, e.g. "circuit breaker opened (failure rate 100%...)".
	 * @return the reason of the last state change
	 */
	public String stateReason() {
		return this.state.get().reason();
	}

	/**
	 * Whether the region has been {@link RegionState#OPEN} since this instance started without a
	 * probe having confirmed it either way: not serving, and not a confirmed failure either.
	 * @return whether the region is starting
	 */
	public boolean isStarting() {
		return this.state.get() == this.initial;
	}

	/**
	 * Records that a region {@link #isStarting() starting} is confirmed unreachable (two probes in a
	 * row failed): it stays {@link RegionState#OPEN}, now as a confirmed failure since this moment.
	 * Not a transition (the state does not change), so no event and no broadcast.
	 * @param cause what the probes saw
	 * @return whether the region was starting
	 */
	public boolean confirmUnreachableAtStart(String cause) {
		if (this.closed || !this.state.compareAndSet(this.initial, new StateHolder(RegionState.OPEN, cause, Instant.now()))) {
			return false;
		}
		logger.warn("Region '" + this.name + "' unreachable since start: " + cause);
		return true;
	}

	/**
	 * When the region entered its state.
	 * @return the time of the last state change
	 */
	public Instant stateSince() {
		return this.state.get().since();
	}

	/**
	 * Whether reads may be served by this region now: it is {@link RegionState#UP} and not waiting
	 * for a probe to confirm it after a lost connection (the server may have restarted).
	 * @return whether the region serves
	 */
	public boolean isServing() {
		return !this.suspect && state().isServing();
	}

	/**
	 * Whether writes are sent to this region now: when it serves, and while it is reconciled, so
	 * that it does not fall behind again during its replay.
	 * @return whether the region is {@link RegionState#UP} or {@link RegionState#RECOVERING}
	 */
	public boolean acceptsWrites() {
		RegionState current = state();
		return current == RegionState.UP || current == RegionState.RECOVERING;
	}

	/**
	 * Runs one operation on this region and waits for it on the calling thread, recording its
	 * outcome on the breaker. Uses no timer: the hot read path stays one round trip.
	 * @param <T> the result type
	 * @param operation the operation, started on the region's store
	 * @param timeoutNanos the longest time to wait; past it the call counts as a failure
	 * @return the result
	 * @throws RegionFailureException if the region failed, timed out or its breaker is open
	 * @throws PoisonedKeyException if the key holds a value of the wrong Redis type
	 */
	public <T> T call(Function<RegionStore, CompletionStage<T>> operation, long timeoutNanos) {
		if (!this.circuitBreaker.tryAcquirePermission()) {
			throw notPermitted();
		}
		long start = System.nanoTime();
		try {
			// A command still queued in a pipeline when the deadline passes is never sent (CallDeadline).
			long deadline = start + Math.max(timeoutNanos, 1);
			T value = start(operation, deadline).toCompletableFuture().get(Math.max(deadline - System.nanoTime(), 1), TimeUnit.NANOSECONDS);
			succeeded(start);
			return value;
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw failed(start, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.circuitBreaker.releasePermission();
			throw new RegionFailureException(this.name, "interrupted", ex);
		}
		catch (ExecutionException | RuntimeException ex) {
			throw failed(start, unwrap(ex));
		}
	}

	/**
	 * Runs one operation on this region without blocking, recording its outcome on the breaker.
	 * @param <T> the result type
	 * @param operation the operation, started on the region's store
	 * @param timeoutNanos the longest time to wait for it; past it the call fails and counts as a
	 * failure of the region
	 * @return the result, or a future failed with {@link RegionFailureException}
	 */
	public <T> CompletableFuture<T> callAsync(Function<RegionStore, ? extends CompletionStage<T>> operation, long timeoutNanos) {
		return callAsync(operation, timeoutNanos, true);
	}

	/**
	 * {@link #callAsync} for work no caller waits for (a write replicated in the background): its
	 * failures count against the region, its duration does not. The breaker's slow-call rate says
	 * how long callers wait for the region; a background write that took long kept nobody waiting,
	 * and most of its time is often spent in this client's own queue behind a burst of writes, which
	 * says nothing about the region. A region slow for callers is still seen by the calls they wait
	 * for (reads, and writes at the {@code sync}, {@code quorum} and {@code all} levels), a region
	 * too slow for the timeout by this call's failure.
	 * @param <T> the result type
	 * @param operation the operation, started on the region's store
	 * @param timeoutNanos the longest time to wait for it; past it the call fails and counts as a
	 * failure of the region
	 * @return the result, or a future failed with {@link RegionFailureException}
	 */
	public <T> CompletableFuture<T> callInBackground(Function<RegionStore, ? extends CompletionStage<T>> operation, long timeoutNanos) {
		return callAsync(operation, timeoutNanos, false);
	}

	private <T> CompletableFuture<T> callAsync(Function<RegionStore, ? extends CompletionStage<T>> operation, long timeoutNanos,
			boolean timed) {
		if (!this.circuitBreaker.tryAcquirePermission()) {
			return CompletableFuture.failedFuture(notPermitted());
		}
		long start = System.nanoTime();
		CompletableFuture<T> result;
		try {
			// A dependent copy, so that our timeout never completes (and disturbs) Redisson's own future.
			result = start(operation, start + Math.max(timeoutNanos, 1)).toCompletableFuture().thenApply(Function.identity());
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		return result.orTimeout(Math.max(timeoutNanos, 1), TimeUnit.NANOSECONDS).handle((value, ex) -> {
			if (ex == null) {
				succeeded(timed ? start : System.nanoTime());
				return value;
			}
			throw new CompletionException(failed(start, unwrap(ex)));
		});
	}

	private void succeeded(long start) {
		this.circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		this.connected = true;
	}

	private <T> CompletionStage<T> start(Function<RegionStore, ? extends CompletionStage<T>> operation, long deadline) {
		Executor first = this.connector;
		if (this.connected || first == null) {
			return CallDeadline.with(deadline, operation, this.store);
		}
		try {
			return CompletableFuture.supplyAsync(() -> {
				if (System.nanoTime() - deadline >= 0) {
					throw new RegionFailureException(this.name, "no answer within the deadline (connecting)", null);
				}
				return CallDeadline.with(deadline, operation, this.store);
			}, first).thenCompose(Function.identity());
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(new RegionFailureException(this.name, "still connecting", null));
		}
	}

	private RegionFailureException notPermitted() {
		return new RegionFailureException(this.name, "circuit breaker does not permit calls", null);
	}

	/**
	 * Records a failed call and says what it was: a key of the wrong type is the key's fault (the
	 * region answered), an unwritten command is this client's (a hint to probe the region), anything
	 * else counts against the region.
	 */
	private RegionFailureException failed(long start, Throwable cause) {
		if (PoisonedKeyException.isWrongType(cause)) {
			this.circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			return new PoisonedKeyException(this.name, describe(cause), cause);
		}
		if (isClientSide(cause)) {
			this.circuitBreaker.releasePermission();
			hint("this client could not send a command (" + describe(cause) + ")");
			return new RegionFailureException(this.name, describe(cause), cause);
		}
		this.circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, cause);
		return new RegionFailureException(this.name, describe(cause), cause);
	}

	/**
	 * Whether a failure is this client's, not the region's: a command this JVM did not manage to
	 * write in time (a CPU-starved process). Such a call never reached the server: it says nothing
	 * about the region, so it is a hint, not a failure. An exhausted connection pool is not one of
	 * these: it is what a hung server looks like once every connection waits for it.
	 * @param cause the failure
	 * @return whether it happened in the client
	 */
	public static boolean isClientSide(Throwable cause) {
		String message = cause.getMessage();
		return message != null && message.contains("still hasn't been written into connection");
	}

	// State machine: the named transitions of RegionTransition, nothing else.

	/**
	 * A confirmed failure: the breaker opened, or a confirming probe failed.
	 * @param cause what was seen, for the log line, events and health
	 * @return whether the region moved to {@link RegionState#OPEN}
	 */
	public boolean fail(String cause) {
		return move(RegionTransition.FAIL, cause, false);
	}

	/**
	 * Probes succeeded: reconciliation starts.
	 * @param cause e.g. "3 probes in a row succeeded"
	 * @return whether the region moved to {@link RegionState#RECOVERING}
	 */
	public boolean beginRecovery(String cause) {
		return move(RegionTransition.BEGIN_RECOVERY, cause, false);
	}

	/**
	 * Reconciliation finished: the region serves again.
	 * @param cause what reconciliation did
	 * @return whether the region moved to {@link RegionState#UP}
	 */
	public boolean recovered(String cause) {
		return move(RegionTransition.RECOVERED, cause, false);
	}

	/**
	 * Reconciliation failed or could not finish: the region is probed again.
	 * @param cause why
	 * @return whether the region moved back to {@link RegionState#OPEN}
	 */
	public boolean abortRecovery(String cause) {
		return move(RegionTransition.ABORT_RECOVERY, cause, false);
	}

	/**
	 * An operator takes the region out for maintenance.
	 * @param cause why
	 * @param remote whether an operator on another instance did (the change is then not broadcast)
	 * @return whether the region moved to {@link RegionState#OFFLINE}
	 */
	public boolean takeOffline(String cause, boolean remote) {
		return move(RegionTransition.TAKE_OFFLINE, cause, remote);
	}

	/**
	 * An operator on this instance brings the region back: it is reconciled before it serves.
	 * @param cause why
	 * @return whether the region moved to {@link RegionState#RECOVERING}
	 */
	public boolean bringOnline(String cause) {
		return move(RegionTransition.BRING_ONLINE, cause, false);
	}

	/**
	 * An operator on another instance brought the region back: this instance probes and reconciles
	 * it itself before it serves.
	 * @param cause why
	 * @return whether the region moved to {@link RegionState#OPEN}
	 */
	public boolean release(String cause) {
		return move(RegionTransition.RELEASE, cause, true);
	}

	private boolean move(RegionTransition transition, String reason, boolean remote) {
		StateHolder current;
		StateHolder next;
		do {
			current = this.state.get();
			if (!transition.allowedFrom(current.state()) || this.closed) {
				return false;
			}
			next = new StateHolder(transition.to(), reason, Instant.now());
		}
		while (!this.state.compareAndSet(current, next));
		RegionState to = transition.to();
		// Reads are gated by the state, so the breaker can close as soon as writes flow again
		// (RECOVERING): it then detects a region that fails again during its reconciliation.
		if ((to == RegionState.UP || to == RegionState.RECOVERING) && this.circuitBreaker.getState() != CircuitBreaker.State.CLOSED) {
			this.circuitBreaker.transitionToClosedState();
		}
		// A region failed by a probe shows an open breaker too, so that Resilience4j's metrics and
		// health agree with the region's state.
		if (to == RegionState.OPEN && this.circuitBreaker.getState() == CircuitBreaker.State.CLOSED) {
			this.circuitBreaker.transitionToOpenState();
		}
		RegionStateChange change = new RegionStateChange(this.name, current.state(), to, reason, next.since(), remote);
		if (to == RegionState.UP || to == RegionState.RECOVERING) {
			logger.info(change.describe() + " [" + transition + "]");
		}
		else {
			logger.warn(change.describe() + " [" + transition + "]");
		}
		// Listeners (events, broadcast, user code) run on this region's events thread, in order:
		// never on a business thread or a Redisson I/O thread, which a state change may be running on.
		this.events.execute(() -> {
			for (RegionStateListener listener : this.listeners) {
				try {
					listener.onStateChange(change);
				}
				catch (RuntimeException ex) {
					logger.warn("Region state listener failed on " + change.describe(), ex);
				}
			}
		});
		return true;
	}

	/**
	 * Registers a listener of this region's state changes.
	 * @param listener the listener, called on the region's events thread, in the order of the changes
	 */
	public void addStateListener(RegionStateListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Reports a lost connection: the server may have restarted (from an older snapshot) or failed
	 * over, so nothing is read from the region until a probe has confirmed it (a few milliseconds
	 * when it answers; reads fail over meanwhile). Not a transition: no state change, no broadcast.
	 * @param what what was seen
	 */
	public void suspect(String what) {
		if (!this.closed) {
			this.suspect = true;
			hint(what);
		}
	}

	/**
	 * Called by the prober once a probe confirmed the region after {@link #suspect}: reads may go
	 * to it again.
	 */
	public void confirmed() {
		this.suspect = false;
	}

	/**
	 * Whether reads wait for a probe to confirm the region after a lost connection.
	 * @return whether the region is suspect
	 */
	public boolean isSuspect() {
		return this.suspect;
	}

	/**
	 * Reports a sign that the region may have failed (a command this JVM could not send, another instance's
	 * report): never a transition by itself, only a request to confirm with a probe.
	 * @param what what was seen
	 */
	public void hint(String what) {
		if (this.closed) {
			return;
		}
		for (Consumer<String> listener : this.hintListeners) {
			try {
				listener.accept(what);
			}
			catch (RuntimeException ex) {
				logger.debug("Region hint listener failed", ex);
			}
		}
	}

	/**
	 * Registers who confirms hints (the prober).
	 * @param listener called with what was seen, on the thread that saw it: must not block
	 */
	public void addHintListener(Consumer<String> listener) {
		this.hintListeners.add(listener);
	}

	/**
	 * Whether the region's client is shut down or shutting down: its disconnections are then expected.
	 * @return whether the region is closed
	 */
	public boolean isClosed() {
		return this.closed;
	}

	void close() {
		this.closed = true;
		this.store.client().shutdown(0, 2, TimeUnit.SECONDS);
	}

	@Override
	public String toString() {
		return "Region '" + this.name + "' (" + state() + ")";
	}

	/**
	 * The cause of a failed future, without the wrappers the future API adds.
	 * @param ex the exception
	 * @return the cause
	 */
	public static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * A one-line description of a failure, for reasons and logs.
	 * @param cause the failure
	 * @return its class and first line
	 */
	public static String describe(Throwable cause) {
		if (cause instanceof java.util.concurrent.TimeoutException) {
			return "no answer within the deadline";
		}
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + firstLine(message) : "");
	}

	private static String firstLine(String message) {
		int end = message.indexOf('\n');
		return (end < 0) ? message : message.substring(0, end);
	}

	private record StateHolder(RegionState state, String reason, Instant since) {
	}

}
