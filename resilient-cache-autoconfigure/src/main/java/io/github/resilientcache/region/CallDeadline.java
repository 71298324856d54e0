package io.github.resilientcache.region;

import java.util.function.Function;

/**
 * The deadline of the business call that is starting a command on this thread: set by
 * {@link Region} around the operation it starts on the store, read by a {@link Pipeline} when the
 * command has to wait in its queue. A queued command whose deadline has passed is never sent: its
 * caller has stopped waiting, counted the region as failed and journaled the write, so that a
 * write arriving later could only undo what replay puts there since. Background work (probes,
 * replay, resync) runs without one.
 */
final class CallDeadline {

	/** {@code [deadline in System.nanoTime() units, 1 when set]}, one array per thread, reused. */
	private static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[2]);

	private CallDeadline() {
	}

	/**
	 * Runs an operation with a deadline set for the commands it starts on this thread, and restores
	 * what was set before (nothing, outside a nested call). Allocates nothing.
	 * @param <T> what the operation answers
	 * @param deadline the deadline, in {@link System#nanoTime()} units
	 * @param operation the operation
	 * @param store what it runs on
	 * @return what it answers
	 */
	static <T> T with(long deadline, Function<RegionStore, ? extends T> operation, RegionStore store) {
		long[] current = CURRENT.get();
		long outerDeadline = current[0];
		long outerSet = current[1];
		current[0] = deadline;
		current[1] = 1;
		try {
			return operation.apply(store);
		}
		finally {
			current[0] = outerDeadline;
			current[1] = outerSet;
		}
	}

	/**
	 * Whether a call runs on this thread with a deadline.
	 * @return whether {@link #deadline} is one
	 */
	static boolean isSet() {
		return CURRENT.get()[1] == 1;
	}

	/**
	 * The deadline of the call starting on this thread, where {@link #isSet}.
	 * @return the deadline, in {@link System#nanoTime()} units
	 */
	static long deadline() {
		return CURRENT.get()[0];
	}

}
