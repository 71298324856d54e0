package io.github.resilientcache.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/**
 * The fleet's Redis operations, on a region's direct path (no breaker: telemetry must neither open
 * it nor be stopped by it), each bounded by a timeout: the snapshot stream, the leader's lease and
 * the incident records. Called from the telemetry thread only.
 */
final class FleetStore {

	static final String FIELD = "s";

	/** Takes the lease when free, renews it when held by the caller; 1 when the caller holds it. */
	private static final String ACQUIRE = """
			local holder = redis.call('get', KEYS[1])
			if holder == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
			if holder then return 0 end
			redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
			return 1""";

	private static final String RELEASE = """
			if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
			return 0""";

	/** Replaces a record only if it is still the one read, with an expiry (an empty one deletes it): 1 when replaced. */
	private static final String REPLACE = """
			if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
			if ARGV[2] == '' then redis.call('del', KEYS[1]) return 1 end
			redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
			return 1""";

	private final KeySpace keys;

	private final long timeoutMillis;

	private final int maxLength;

	private final Duration streamTtl;

	FleetStore(KeySpace keys, Duration timeout, int maxLength, Duration streamTtl) {
		this.keys = keys;
		this.timeoutMillis = Math.max(timeout.toMillis(), 100);
		this.maxLength = maxLength;
		this.streamTtl = streamTtl;
	}

	/**
	 * Appends a snapshot to the region's stream, trimmed to about its maximum length, and keeps the
	 * stream alive for a while only, so that a fleet that stops publishing leaves nothing behind.
	 */
	void publish(Region region, String snapshot) throws Exception {
		RStream<String, String> stream = stream(region);
		await(stream.addAsync(StreamAddArgs.entry(FIELD, snapshot).trimNonStrict().maxLen(this.maxLength).noLimit()));
		stream.expireAsync(this.streamTtl);
	}

	/**
	 * Reads the region's stream after an entry.
	 * @param after the last entry read, {@code null} to read the newest entries
	 * @return the entries in order, at most the stream's maximum length
	 */
	List<Entry> read(Region region, @Nullable StreamMessageId after) throws Exception {
		RStream<String, String> stream = stream(region);
		Map<StreamMessageId, Map<String, String>> read;
		List<Entry> entries = new ArrayList<>();
		if (after == null) {
			read = await(stream.rangeReversedAsync(this.maxLength, StreamMessageId.MAX, StreamMessageId.MIN));
			read.forEach((id, fields) -> entries.add(0, new Entry(id, fields.get(FIELD))));
		}
		else {
			StreamMessageId next = new StreamMessageId(after.getId0(), after.getId1() + 1);
			read = await(stream.rangeAsync(this.maxLength, next, StreamMessageId.MAX));
			read.forEach((id, fields) -> entries.add(new Entry(id, fields.get(FIELD))));
		}
		return entries;
	}

	/**
	 * The newest entry's identity, {@code null} when the stream is empty.
	 */
	@Nullable StreamMessageId newest(Region region) throws Exception {
		Map<StreamMessageId, Map<String, String>> newest = await(stream(region).rangeReversedAsync(1, StreamMessageId.MAX, StreamMessageId.MIN));
		return newest.isEmpty() ? null : newest.keySet().iterator().next();
	}

	boolean acquireLease(Region region, String instance, Duration lease) throws Exception {
		Long held = await(script(region).evalAsync(this.keys.fleetLeaderKey(), RScript.Mode.READ_WRITE, ACQUIRE, RScript.ReturnType.LONG,
				List.of(this.keys.fleetLeaderKey()), instance, Long.toString(lease.toMillis())));
		return held != null && held == 1L;
	}

	void releaseLease(Region region, String instance) throws Exception {
		await(script(region).evalAsync(this.keys.fleetLeaderKey(), RScript.Mode.READ_WRITE, RELEASE, RScript.ReturnType.LONG,
				List.of(this.keys.fleetLeaderKey()), instance));
	}

	@Nullable String readIncident(Region holder, String region) throws Exception {
		return await(holder.direct().client().<String>getBucket(this.keys.fleetIncidentKey(region), StringCodec.INSTANCE).getAsync());
	}

	/**
	 * Opens an incident unless the region already has a record: the one decision that makes an
	 * incident fire once, whichever instances believe they lead.
	 * @return whether this record was stored
	 */
	boolean openIncident(Holder holder, String record) throws Exception {
		Boolean set = await(holder.region().direct().client().<String>getBucket(this.keys.fleetIncidentKey(holder.failed()), StringCodec.INSTANCE)
			.setIfAbsentAsync(record));
		return Boolean.TRUE.equals(set);
	}

	/**
	 * Replaces a record that is still the one read (closing the incident, or removing a forged one).
	 * @return whether it was replaced
	 */
	boolean replaceIncident(Holder holder, String expected, String record, Duration expiry) throws Exception {
		String key = this.keys.fleetIncidentKey(holder.failed());
		Long replaced = await(script(holder.region()).evalAsync(key, RScript.Mode.READ_WRITE, REPLACE, RScript.ReturnType.LONG, List.of(key),
				expected, record, Long.toString(Math.max(expiry.toMillis(), 1))));
		return replaced != null && replaced == 1L;
	}

	private RStream<String, String> stream(Region region) {
		return region.direct().client().getStream(this.keys.fleetStream(), StringCodec.INSTANCE);
	}

	private static RScript script(Region region) {
		return region.direct().client().getScript(StringCodec.INSTANCE);
	}

	private <T> T await(CompletionStage<T> stage) throws Exception {
		try {
			return stage.toCompletableFuture().get(this.timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		catch (TimeoutException ex) {
			throw new TimeoutException("no answer within " + this.timeoutMillis + " ms");
		}
	}

	/**
	 * One stream entry.
	 * @param id its identity
	 * @param text its snapshot text, {@code null} if the entry has no such field
	 */
	record Entry(StreamMessageId id, @Nullable String text) {
	}

	/**
	 * Where the incident record of a failed region is kept.
	 * @param region the region that holds it
	 * @param failed the failed region
	 */
	record Holder(Region region, String failed) {
	}

}
