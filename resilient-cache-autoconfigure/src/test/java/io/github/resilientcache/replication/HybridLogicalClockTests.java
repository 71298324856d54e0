package io.github.resilientcache.replication;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HybridLogicalClockTests {

	private final AtomicLong wall = new AtomicLong(1_000);

	private final HybridLogicalClock clock = new HybridLogicalClock(this.wall::get, java.time.Duration.ofSeconds(5));

	@Test
	void stampsIncreaseWithinOneMillisecond() {
		long first = this.clock.next();
		long second = this.clock.next();
		assertThat(second).isGreaterThan(first);
		assertThat(HybridLogicalClock.physicalMillis(second)).isEqualTo(1_000);
	}

	@Test
	void stampsNeverGoBackWhenTheWallClockSteps() {
		long before = this.clock.next();
		this.wall.set(500);
		assertThat(this.clock.next()).isGreaterThan(before);
	}

	@Test
	void observingAStampFromAheadMovesTheClockPastIt() {
		long remote = new HybridLogicalClock(() -> 4_000, java.time.Duration.ofSeconds(5)).next();
		assertThat(this.clock.observe(remote)).isTrue();
		assertThat(this.clock.next()).isGreaterThan(remote);
	}

	@Test
	void stampFurtherAheadThanTheDriftIsRefusedAndCounted() {
		long remote = new HybridLogicalClock(() -> 9_000, java.time.Duration.ofSeconds(5)).next();
		assertThat(this.clock.observe(remote)).isFalse();
		assertThat(this.clock.refusedCount()).isEqualTo(1);
		assertThat(HybridLogicalClock.physicalMillis(this.clock.next())).isEqualTo(1_000);
		assertThat(this.clock.observe(Long.MAX_VALUE)).as("never overflows").isFalse();
		assertThat(this.clock.next()).isPositive();
	}

	@Test
	void followsTheWallClockWhenItMovesOn() {
		this.clock.next();
		this.wall.set(2_000);
		assertThat(HybridLogicalClock.physicalMillis(this.clock.next())).isEqualTo(2_000);
	}

}
