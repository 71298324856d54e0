package io.github.resilientcache.recovery;

import org.junit.jupiter.api.Test;
import org.redisson.api.RLock;
import org.redisson.client.RedisException;
import org.redisson.client.RedisTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willDoNothing;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The retry policy of a lock release (pure logic; the locks themselves are exercised against real
 * servers by the failback and anti-entropy tests): a release that timed out is tried again at once
 * rather than leaving the lock to expire while other instances wait; a lock that is no longer held
 * counts as released; a release that keeps failing gives up after a bounded number of attempts.
 */
class LockReleaseTests {

	private final RLock lock = mock(RLock.class);

	@Test
	void aReleaseThatTimedOutIsTriedAgain() {
		willThrow(new RedisTimeoutException("timed out")).willDoNothing().given(this.lock).unlock();
		assertThat(LockRelease.release(this.lock, "the test lock")).isTrue();
		verify(this.lock, times(2)).unlock();
	}

	@Test
	void aLockNoLongerHeldCountsAsReleased() {
		willThrow(new IllegalMonitorStateException("attempt to unlock lock, not locked by current thread")).given(this.lock).unlock();
		assertThat(LockRelease.release(this.lock, "the test lock")).isTrue();
		verify(this.lock, times(1)).unlock();
	}

	@Test
	void aReleaseThatKeepsFailingGivesUpAfterItsAttempts() {
		willThrow(new RedisTimeoutException("timed out")).given(this.lock).unlock();
		assertThat(LockRelease.release(this.lock, "the test lock")).isFalse();
		verify(this.lock, times(LockRelease.ATTEMPTS)).unlock();
	}

	@Test
	void anInterruptedThreadStillReleasesAndStaysInterrupted() {
		// As Redisson does: a command waited for on an interrupted thread is cancelled at once.
		willAnswer((invocation) -> {
			if (Thread.currentThread().isInterrupted()) {
				throw new RedisException("interrupted", new InterruptedException());
			}
			return null;
		}).given(this.lock).unlock();
		Thread.currentThread().interrupt();
		try {
			assertThat(LockRelease.release(this.lock, "the test lock")).isTrue();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
			verify(this.lock, times(1)).unlock();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void aReleaseThatSucceedsIsSentOnce() {
		willDoNothing().given(this.lock).unlock();
		assertThat(LockRelease.release(this.lock, "the test lock")).isTrue();
		verify(this.lock, times(1)).unlock();
	}

}
