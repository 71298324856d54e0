package io.github.resilientcache.replication;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Hybrid logical clock: wall-clock milliseconds in the high 48 bits and a counter in the low 16,
 * never going backwards and never issuing the same stamp twice, even when the wall clock steps back.
 */
public final class HybridLogicalClock {

	private static final int LOGICAL_BITS = 16;

	private final AtomicLong last = new AtomicLong();

	private final LongSupplier wallClock;

	public HybridLogicalClock() {
		this(System::currentTimeMillis);
	}

	HybridLogicalClock(LongSupplier wallClock) {
		this.wallClock = wallClock;
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
	 * after it even if this machine's clock is behind.
	 * @param stamp the stamp seen
	 */
	public void observe(long stamp) {
		// Every cache hit observes its entry's stamp, which is almost never ahead of this clock: a
		// plain read settles that without writing the shared cache line (a CAS would, even when it
		// changes nothing), so concurrent readers do not contend on it.
		long current = this.last.get();
		if (stamp > current) {
			this.last.accumulateAndGet(stamp, Math::max);
		}
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
