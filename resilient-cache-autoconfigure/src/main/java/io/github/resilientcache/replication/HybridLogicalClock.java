package io.github.resilientcache.replication;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Hybrid logical clock: wall-clock milliseconds in the high 48 bits and a counter in the low 16,
 * never going backwards and never issuing the same stamp twice, even when the wall clock steps back.
 * <p>
 * It moves past the stamps it sees in Redis, so that a write orders after what it replaces even on
 * a machine whose clock is behind; but never past {@code maxDrift} ahead of this machine's wall
 * clock: a stamp further ahead (a bad clock elsewhere, or anyone who can write to Redis) is refused
 * and counted, so it can neither drag every instance's clock along nor overflow it.
 */
public final class HybridLogicalClock {

	private static final int LOGICAL_BITS = 16;

	private final AtomicLong last = new AtomicLong();

	private final LongSupplier wallClock;

	private final long maxDriftMillis;

	private final LongAdder refused = new LongAdder();

	/**
	 * A clock on this machine's wall clock.
	 * @param maxDrift how far ahead of the wall clock a stamp seen in Redis may be
	 */
	public HybridLogicalClock(Duration maxDrift) {
		this(System::currentTimeMillis, maxDrift);
	}

	/**
	 * A clock on a given wall clock, e.g. a skewed one in a test.
	 * @param wallClock milliseconds since the epoch
	 * @param maxDrift how far ahead of the wall clock a stamp seen in Redis may be
	 */
	public HybridLogicalClock(LongSupplier wallClock, Duration maxDrift) {
		this.wallClock = wallClock;
		this.maxDriftMillis = maxDrift.toMillis();
	}

	/**
	 * A new stamp, greater than every stamp issued or observed before.
	 * @return the stamp
	 */
	public long next() {
		long physical = this.wallClock.getAsLong() << LOGICAL_BITS;
		return this.last.accumulateAndGet(physical, (previous, now) -> Math.max(previous + 1, now));
	}

	/**
	 * Moves the clock past a stamp seen in a region, so that this instance's next write orders
	 * after it even if this machine's clock is behind; a stamp too far ahead is refused.
	 * @param stamp the stamp seen
	 * @return whether the stamp is trusted
	 */
	public boolean observe(long stamp) {
		// Every cache hit observes its entry's stamp, which is almost never ahead of this clock: a
		// plain read settles that without writing the shared cache line (a CAS would, even when it
		// changes nothing), so concurrent readers do not contend on it.
		long current = this.last.get();
		if (stamp <= current) {
			return true;
		}
		if (!isTrusted(stamp)) {
			this.refused.increment();
			return false;
		}
		this.last.accumulateAndGet(stamp, Math::max);
		return true;
	}

	/**
	 * Whether a stamp is no further ahead of the wall clock than the drift allows.
	 * @param stamp the stamp
	 * @return whether it is trusted
	 */
	public boolean isTrusted(long stamp) {
		return stamp >= 0 && stamp <= maxTrusted();
	}

	/**
	 * The largest stamp trusted now: the wall clock plus the allowed drift.
	 * @return the stamp
	 */
	public long maxTrusted() {
		return ((this.wallClock.getAsLong() + this.maxDriftMillis) << LOGICAL_BITS) | ((1L << LOGICAL_BITS) - 1);
	}

	/**
	 * Counts a stamp refused elsewhere (by a script, a replay or a reconciliation).
	 */
	public void refused() {
		this.refused.increment();
	}

	/**
	 * Stamps refused as too far ahead since start.
	 * @return the count
	 */
	public long refusedCount() {
		return this.refused.sum();
	}

	/**
	 * The wall-clock milliseconds of a stamp.
	 * @param stamp the stamp
	 * @return milliseconds since the epoch
	 */
	public static long physicalMillis(long stamp) {
		return stamp >>> LOGICAL_BITS;
	}

}
