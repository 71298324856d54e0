package io.github.resilientcache.region;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The one owner of the starter's background threads. Every thread is a named daemon; every
 * executor is single-threaded and bounded; all stop the same way ({@link #shutdown}: interrupt, then
 * wait up to 5 seconds). The threads:
 * <ul>
 * <li>{@code resilient-cache-connect-<region>}: a region's first calls, until its client connected
 * (bounded queue of 1,024; see {@link Region});</li>
 * <li>{@code resilient-cache-events-<region>}: a region's state listeners, in order;</li>
 * <li>{@code resilient-cache-probe}: the failback prober's rounds and confirming probes;</li>
 * <li>{@code resilient-cache-recovery-<region>}: a region's replay or resync, never on the prober's
 * or a request's thread;</li>
 * <li>{@code resilient-cache-status}: reading again a stored region status that could not be read at
 * start, only until it could;</li>
 * <li>{@code resilient-cache-anti-entropy}: the periodic reconciliation;</li>
 * <li>{@code resilient-cache-fleet}: fleet snapshots, the fleet's view, the leader's lease and
 * incidents ({@code resilient-cache.fleet.enabled} only);</li>
 * <li>{@code resilient-cache-fleet-actions}: recovery actions (bounded queue of 64), never on a
 * request's or Redis client's thread;</li>
 * <li>{@code resilient-cache-near} and {@code resilient-cache-near-<region>}: near-cache heartbeats and
 * silence checks, and each region's subscription (only
 * when a cache enables a near tier).</li>
 * </ul>
 * Regions are bulkheads: no thread is shared between two regions' recoveries, connections or events.
 */
public final class BackgroundThreads implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(BackgroundThreads.class);

	private static final long STOP_SECONDS = 5;

	private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();

	/**
	 * A single thread with a bounded queue; a task that finds the queue full is refused.
	 * @param name the thread's name
	 * @param queueSize bound of the queue
	 * @param idleTimeout whether the thread ends when idle (it is started again on demand)
	 * @return the executor
	 */
	public ThreadPoolExecutor single(String name, int queueSize, boolean idleTimeout) {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queueSize), daemon(name));
		executor.allowCoreThreadTimeOut(idleTimeout);
		this.executors.add(executor);
		return executor;
	}

	/**
	 * A single scheduling thread.
	 * @param name the thread's name
	 * @return the scheduler
	 */
	public ScheduledExecutorService scheduler(String name) {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon(name));
		executor.setRemoveOnCancelPolicy(true);
		this.executors.add(executor);
		return executor;
	}

	/**
	 * Stops an executor: interrupts its task and waits for it to end.
	 * @param executor the executor
	 */
	public void shutdown(ExecutorService executor) {
		this.executors.remove(executor);
		executor.shutdownNow();
		try {
			if (!executor.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS)) {
				logger.warn("A resilient-cache background task did not stop within " + STOP_SECONDS + " seconds");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops every executor still running.
	 */
	@Override
	public void close() {
		this.executors.forEach(ExecutorService::shutdownNow);
		List.copyOf(this.executors).forEach(this::shutdown);
	}

	private static ThreadFactory daemon(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}


}
