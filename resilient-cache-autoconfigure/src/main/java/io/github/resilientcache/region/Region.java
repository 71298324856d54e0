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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * One region: its store, its circuit breaker and its state. Every call to the region goes through
 * {@link #call}, so that each outcome feeds the breaker and no call outlives its deadline.
 */
public final class Region {

	private static final Log logger = LogFactory.getLog(Region.class);

	private final String name;

	private final boolean local;

	private final RegionStore store;

	private final CircuitBreaker circuitBreaker;

	private final long attemptTimeoutNanos;

	private final AtomicReference<StateHolder> state;

	private final List<RegionStateListener> listeners = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	private volatile Executor events = Runnable::run;

	private volatile boolean connected;

	/**
	 * Until the first successful call, Redisson's lazily initialized client opens its connections
	 * on the thread that sends the first commands, blocking it for up to the connect timeout (and
	 * longer when the server accepts but never answers). Those first operations start on this one
	 * thread instead, from a bounded queue, so that callers only ever wait their own deadline; an
	 * operation whose caller gave up is skipped, not sent.
	 */
	private final ThreadPoolExecutor connector;

	/**
	 * Creates a region, {@link RegionState#UP}.
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
		this.connector = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), (runnable) -> {
			Thread thread = new Thread(runnable, "resilient-cache-connect-" + name);
			thread.setDaemon(true);
			return thread;
		});
		this.connector.allowCoreThreadTimeOut(true);
		this.state = new AtomicReference<>(new StateHolder(RegionState.UP, "started", Instant.now()));
		circuitBreaker.getEventPublisher().onStateTransition((event) -> {
			CircuitBreaker.State to = event.getStateTransition().getToState();
			if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
				CircuitBreaker.Metrics metrics = circuitBreaker.getMetrics();
				RegionState current = state();
				transition((current == RegionState.RECOVERING) ? current : RegionState.UP, RegionState.OPEN, String.format("circuit breaker opened (failure rate %.0f%%, slow-call rate %.0f%%)",
						metrics.getFailureRate(), metrics.getSlowCallRate()));
			}
		});
	}

	public String name() {
		return this.name;
	}

	public boolean isLocal() {
		return this.local;
	}

	public RegionStore store() {
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
	 * When the region entered its state.
	 * @return the time of the last state change
	 */
	public Instant stateSince() {
		return this.state.get().since();
	}

	/**
	 * Whether reads may be served by this region now.
	 * @return whether the region is {@link RegionState#UP}
	 */
	public boolean isServing() {
		return state().isServing();
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
	 */
	public <T> T call(Function<RegionStore, CompletionStage<T>> operation, long timeoutNanos) {
		if (!this.circuitBreaker.tryAcquirePermission()) {
			throw notPermitted();
		}
		long start = System.nanoTime();
		try {
			long deadline = start + Math.max(timeoutNanos, 1);
			CompletionStage<T> stage = start(operation, deadline);
			T value = stage.toCompletableFuture().get(Math.max(deadline - System.nanoTime(), 1), TimeUnit.NANOSECONDS);
			this.circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			this.connected = true;
			return value;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.circuitBreaker.releasePermission();
			throw new RegionFailureException(this.name, "interrupted", ex);
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException ex) {
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
				this.circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				this.connected = true;
				return value;
			}
			throw new CompletionException(failed(start, unwrap(ex)));
		});
	}

	private <T> CompletionStage<T> start(Function<RegionStore, ? extends CompletionStage<T>> operation, long deadline) {
		if (this.connected) {
			return operation.apply(this.store);
		}
		try {
			return CompletableFuture.supplyAsync(() -> {
				if (System.nanoTime() - deadline >= 0) {
					throw new RegionFailureException(this.name, "no answer within the deadline (connecting)", null);
				}
				return operation.apply(this.store);
			}, this.connector).thenCompose(Function.identity());
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(new RegionFailureException(this.name, "still connecting", null));
		}
	}

	private RegionFailureException notPermitted() {
		return new RegionFailureException(this.name, "circuit breaker does not permit calls", null);
	}

	private RegionFailureException failed(long start, Throwable cause) {
		this.circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, cause);
		return new RegionFailureException(this.name, describe(cause), cause);
	}

	/**
	 * Moves the region from one state to another, if it is in the expected state.
	 * @param from the expected state
	 * @param to the new state
	 * @param reason why, for logs, events and health
	 * @return whether the region moved
	 */
	public boolean transition(RegionState from, RegionState to, String reason) {
		return transition(from, to, reason, false);
	}

	/**
	 * Moves the region from one state to another, if it is in the expected state.
	 * @param from the expected state
	 * @param to the new state
	 * @param reason why, for logs, events and health
	 * @param remote whether another instance reported the change (it is then not broadcast again)
	 * @return whether the region moved
	 */
	public boolean transition(RegionState from, RegionState to, String reason, boolean remote) {
		StateHolder current = this.state.get();
		if (current.state() != from || from == to) {
			return false;
		}
		StateHolder next = new StateHolder(to, reason, Instant.now());
		if (!this.state.compareAndSet(current, next)) {
			return false;
		}
		// Reads are gated by the state, so the breaker can close as soon as writes flow again
		// (RECOVERING): it then detects a region that fails again during its reconciliation.
		if ((to == RegionState.UP || to == RegionState.RECOVERING) && this.circuitBreaker.getState() != CircuitBreaker.State.CLOSED) {
			this.circuitBreaker.transitionToClosedState();
		}
		// A region taken out for another reason (lost connection, another instance's report) shows an
		// open breaker too, so that Resilience4j's metrics and health agree with the region's state.
		if (to == RegionState.OPEN && this.circuitBreaker.getState() == CircuitBreaker.State.CLOSED) {
			this.circuitBreaker.transitionToOpenState();
		}
		RegionStateChange change = new RegionStateChange(this.name, from, to, reason, next.since(), remote);
		if (to == RegionState.UP || to == RegionState.RECOVERING) {
			logger.info(change.describe());
		}
		else {
			logger.warn(change.describe());
		}
		// Listeners (events, broadcast, user code) run on the events thread, in order: never on a
		// business thread or a Redisson I/O thread, which a state change may be running on.
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
	 * Sets where state listeners run; {@link Regions} gives every region one ordered events thread.
	 * @param events the executor
	 */
	void dispatchEventsWith(Executor events) {
		this.events = events;
	}

	/**
	 * Registers a listener of this region's state changes.
	 * @param listener the listener, called on the events thread, in the order of the changes
	 */
	public void addStateListener(RegionStateListener listener) {
		this.listeners.add(listener);
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
		this.connector.shutdownNow();
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

	private static String describe(Throwable cause) {
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
