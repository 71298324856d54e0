package io.github.resilientcache.recovery;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.resilientcache.region.Region;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.redisson.api.RLock;

/**
 * Releases a coordination lock (replay, anti-entropy) the moment its holder is done, retrying a
 * release whose command failed. A release that fails leaves the lock to expire on its own (Redisson
 * stops renewing it either way), and until it does every other instance finds the work "already
 * running elsewhere": a region that waits to be reconciled stays out of service meanwhile. A
 * release that timed out may have landed: the lock is then no longer ours, which is what was wanted.
 * Runs on the thread that took the lock (Redisson's locks belong to a thread).
 */
final class LockRelease {

	private static final Log logger = LogFactory.getLog(LockRelease.class);

	static final int ATTEMPTS = 3;

	private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private LockRelease() {
	}

	/**
	 * Releases the lock held by the calling thread.
	 * @param lock the lock
	 * @param what what it guards, for the log (e.g. "the replay lock of region 'east'")
	 * @return whether it is released (or was no longer held)
	 */
	static boolean release(RLock lock, String what) {
		// An interrupted thread (a recovery stopped at shutdown) would have Redisson cancel the release at once.
		boolean interrupted = Thread.interrupted();
		try {
			return releaseAttempts(lock, what);
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static boolean releaseAttempts(RLock lock, String what) {
		for (int attempt = 1;; attempt++) {
			try {
				lock.unlock();
				return true;
			}
			catch (IllegalMonitorStateException ex) {
				if (attempt == 1) {
					// Not ours before we asked: it expired while held (its renewal failed), so another
					// instance may have done the same work meanwhile. Harmless (the versions decide every
					// write), but worth knowing.
					logger.warn("Could not release " + what + ": it had expired while this instance held it (its renewal failed); "
							+ "another instance may have run the same work meanwhile");
				}
				// After an attempt that timed out: that attempt released it.
				return true;
			}
			catch (RuntimeException ex) {
				if (attempt == ATTEMPTS) {
					logger.warn("Could not release " + what + " after " + ATTEMPTS + " attempts (it expires within the lock watchdog timeout; "
							+ "other instances wait for it meanwhile): " + Region.describe(Region.unwrap(ex)));
					return false;
				}
				logger.debug("Releasing " + what + " failed (attempt " + attempt + " of " + ATTEMPTS + "), trying again", ex);
				LockSupport.parkNanos(BACKOFF_NANOS * attempt);
			}
		}
	}

}
