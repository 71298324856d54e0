package io.github.resilientcache.recovery;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionIdentity;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysOptions;
import org.redisson.api.options.PlainOptions;
import org.jspecify.annotations.Nullable;
import org.redisson.client.codec.StringCodec;

/**
 * One probe of a region, bypassing its breaker: a DBSIZE on every master, a canary write, read and
 * delete, and the masters' run ids. Redis gives a server a new run id at every start, so a changed set
 * means a master restarted (possibly from an older snapshot) or a replica took over (possibly
 * without the last writes): the region may hold data older than writes it acknowledged.
 */
final class RegionProbe {

	private final String canaryKey;

	private final long timeoutMillis;

	private final Duration timeout;

	private final Map<String, Set<String>> runIds = new ConcurrentHashMap<>();

	RegionProbe(String canaryKey, Duration timeout) {
		this.canaryKey = canaryKey;
		this.timeoutMillis = Math.max(1, timeout.toMillis());
		this.timeout = Duration.ofMillis(this.timeoutMillis);
	}

	/**
	 * Probes a region.
	 * @param region the region
	 * @param canary whether to write and read a canary, for a region about to take traffic again;
	 * a serving region is checked for reachability and identity only, so that a region that refuses
	 * writes for a while (out of memory, read-only) keeps serving the reads it can
	 * @return the outcome, never failed, within the probe timeout
	 */
	CompletableFuture<Outcome> run(Region region, boolean canary) {
		RedissonClient client = region.direct().client();
		CompletableFuture<Outcome> outcome;
		try {
			CompletableFuture<Long> reachable = client.getKeys(KeysOptions.defaults().timeout(this.timeout)).countAsync().toCompletableFuture();
			outcome = (canary ? reachable.thenCompose((count) -> canary(client)) : reachable.thenApply((count) -> (String) null))
				.thenCompose((failure) -> (failure != null) ? CompletableFuture.completedFuture(new Outcome(false, failure, false, false))
						: RegionIdentity.runIds(client).thenApply((ids) -> identified(region, ids)));
		}
		catch (RuntimeException ex) {
			outcome = CompletableFuture.failedFuture(ex);
		}
		return outcome.orTimeout(this.timeoutMillis * 2, TimeUnit.MILLISECONDS).exceptionally((ex) -> {
			Throwable cause = Region.unwrap(ex);
			return new Outcome(false, Region.describe(cause), false, Region.isClientSide(cause));
		});
	}

	/** Writes, reads and deletes the canary; completes with what failed, {@code null} if nothing. */
	private CompletableFuture<@Nullable String> canary(RedissonClient client) {
		String canary = Long.toString(System.nanoTime());
		RBucket<String> bucket = client.getBucket(PlainOptions.name(this.canaryKey).codec(StringCodec.INSTANCE).timeout(this.timeout));
		return bucket.setAsync(canary, Duration.ofSeconds(10))
			.thenCompose((v) -> bucket.getAsync())
			.thenCompose((read) -> canary.equals(read) ? bucket.deleteAsync().thenApply((deleted) -> (String) null)
					: CompletableFuture.completedFuture("canary read back '" + read + "'"))
			.toCompletableFuture();
	}

	private Outcome identified(Region region, Set<String> ids) {
		Set<String> known = this.runIds.put(region.name(), ids);
		if (known != null && !ids.containsAll(known)) {
			return new Outcome(false, "a server restarted or failed over (run id changed): it may hold data older than writes it took", true, false);
		}
		return new Outcome(true, "ok", false, false);
	}

	boolean knowsRunIds(String region) {
		return this.runIds.containsKey(region);
	}

	/**
	 * What a probe found.
	 * @param success whether the region answered every step
	 * @param message what failed, or "ok"
	 * @param restarted whether a master restarted since the last probe
	 * @param inconclusive whether it failed in this client (a command not written in time by a
	 * CPU-starved process): it says nothing about the region
	 */
	record Outcome(boolean success, String message, boolean restarted, boolean inconclusive) {
	}

}
