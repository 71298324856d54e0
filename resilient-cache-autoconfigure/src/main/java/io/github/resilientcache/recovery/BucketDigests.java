package io.github.resilientcache.recovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Digests of a region's entries by key bucket, for anti-entropy that costs what the differences
 * cost: each entry (key and version, never its value) falls into one of 256 buckets by the SHA-1 of
 * its key and version; a bucket's digest is its entry count and the sum of those hashes, so two
 * regions holding the same entries at the same versions have the same digests, whatever order
 * they scan in. Only the keys of buckets whose digests differ are listed, with their versions.
 * <p>
 * On a single server or a Sentinel primary the digests are computed by a script, next to the data,
 * one SCAN page per round trip: a million equal keys cost about a thousand round trips and no value
 * crosses the network. On a Redis Cluster (a script cannot scan every node) the headers of the
 * entries are read in pipelined pages and digested here.
 */
final class BucketDigests {

	private static final long PAGE_TIMEOUT_SECONDS = 30;

	private static final int HEADER_BYTES = 140;

	/**
	 * One SCAN page of entries: {cursor, "bucket:count:sum", ...}. ARGV: cursor, pattern, count.
	 */
	private static final String DIGEST_PAGE = """
			local r = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', tonumber(ARGV[3]))
			local sums = {}
			for _, key in ipairs(r[2]) do
			  local head = redis.pcall('GETRANGE', key, 0, 140)
			  if type(head) == 'string' then
			    local nl = string.find(head, '\\n', 2, true)
			    local version = nl and string.sub(head, 2, nl - 1) or head
			    local h = redis.sha1hex(key .. '\\0' .. version)
			    local b = string.sub(h, 1, 2)
			    local v = tonumber(string.sub(h, 3, 10), 16)
			    local e = sums[b]
			    if e then e[1] = e[1] + 1; e[2] = (e[2] + v) % 4294967296 else sums[b] = {1, v} end
			  end
			end
			local out = {r[1]}
			for b, e in pairs(sums) do table.insert(out, b .. ':' .. e[1] .. ':' .. string.format('%.0f', e[2])) end
			return out
			""";

	/**
	 * One SCAN page of the keys in some buckets, with their versions: {cursor, key, version, ...}.
	 * ARGV: cursor, pattern, count, buckets (two hex digits each, concatenated).
	 */
	private static final String KEYS_IN_BUCKETS = """
			local r = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', tonumber(ARGV[3]))
			local out = {r[1]}
			for _, key in ipairs(r[2]) do
			  local head = redis.pcall('GETRANGE', key, 0, 140)
			  if type(head) == 'string' then
			    local nl = string.find(head, '\\n', 2, true)
			    local version = nl and string.sub(head, 2, nl - 1) or head
			    local b = string.sub(redis.sha1hex(key .. '\\0' .. version), 1, 2)
			    local i = string.find(ARGV[4], b, 1, true)
			    while i and i % 2 == 0 do i = string.find(ARGV[4], b, i + 1, true) end
			    if i then table.insert(out, key); table.insert(out, version) end
			  end
			end
			return out
			""";

	private final KeySpace keys;

	private final int pageSize;

	private final RateLimiter rateLimiter;

	private final AtomicLong roundTrips = new AtomicLong();

	BucketDigests(KeySpace keys, int pageSize, RateLimiter rateLimiter) {
		this.keys = keys;
		this.pageSize = pageSize;
		this.rateLimiter = rateLimiter;
	}

	/**
	 * The digests of a region's entries.
	 * @param region the region
	 * @return count and sum by bucket
	 */
	Map<String, Digest> digest(Region region) {
		Map<String, Digest> digests = new HashMap<>();
		RedissonClient client = region.direct().client();
		if (client.getConfig().isClusterConfig()) {
			scanHeaders(client, (key, version) -> add(digests, hash(key, version)));
			return digests;
		}
		String cursor = "0";
		do {
			this.rateLimiter.acquirePermission(this.pageSize);
			List<Object> page = eval(client, DIGEST_PAGE, cursor, this.keys.entryPattern(), Integer.toString(this.pageSize));
			cursor = (String) page.get(0);
			for (int i = 1; i < page.size(); i++) {
				String[] parts = ((String) page.get(i)).split(":");
				digests.merge(parts[0], new Digest(Long.parseLong(parts[1]), Long.parseLong(parts[2])), Digest::plus);
			}
		}
		while (!"0".equals(cursor));
		return digests;
	}

	/**
	 * The entries of a region in some buckets, with their versions.
	 * @param region the region
	 * @param buckets the buckets
	 * @return version text by key (entries of this application only)
	 */
	Map<String, String> keysIn(Region region, Set<String> buckets) {
		Map<String, String> found = new LinkedHashMap<>();
		RedissonClient client = region.direct().client();
		if (client.getConfig().isClusterConfig()) {
			scanHeaders(client, (key, version) -> {
				if (buckets.contains(hash(key, version).bucket())) {
					found.put(key, version);
				}
			});
			return found;
		}
		String wanted = String.join("", buckets);
		String cursor = "0";
		do {
			this.rateLimiter.acquirePermission(this.pageSize);
			List<Object> page = eval(client, KEYS_IN_BUCKETS, cursor, this.keys.entryPattern(), Integer.toString(this.pageSize), wanted);
			cursor = (String) page.get(0);
			for (int i = 1; i + 1 < page.size(); i += 2) {
				String key = (String) page.get(i);
				if (this.keys.cacheOf(key) != null) {
					found.put(key, (String) page.get(i + 1));
				}
			}
		}
		while (!"0".equals(cursor));
		return found;
	}

	long roundTrips() {
		return this.roundTrips.get();
	}

	private List<Object> eval(RedissonClient client, String script, String... args) {
		this.roundTrips.incrementAndGet();
		return client.getScript(StringCodec.INSTANCE).<List<Object>>evalAsync(RScript.Mode.READ_ONLY, script, RScript.ReturnType.LIST,
				List.of(), (Object[]) args).toCompletableFuture().orTimeout(PAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
	}

	/** Reads the version headers of every entry, a pipelined page at a time (Redis Cluster). */
	private void scanHeaders(RedissonClient client, java.util.function.BiConsumer<String, String> consumer) {
		Iterator<String> scan = client.getKeys().getKeysStreamByPattern(this.keys.entryPattern(), this.pageSize).iterator();
		while (scan.hasNext()) {
			List<String> page = new ArrayList<>(this.pageSize);
			while (page.size() < this.pageSize && scan.hasNext()) {
				String key = scan.next();
				if (this.keys.cacheOf(key) != null) {
					page.add(key);
				}
			}
			this.rateLimiter.acquirePermission(Math.max(1, page.size()));
			RBatch batch = client.createBatch(BatchOptions.defaults());
			List<CompletableFuture<Object>> heads = new ArrayList<>(page.size());
			for (String key : page) {
				heads.add(batch.getScript(StringCodec.INSTANCE).<Object>evalAsync(key, RScript.Mode.READ_ONLY,
						"return redis.pcall('GETRANGE', KEYS[1], 0, " + HEADER_BYTES + ")", RScript.ReturnType.VALUE, List.of(key))
					.toCompletableFuture());
			}
			this.roundTrips.incrementAndGet();
			batch.executeAsync().toCompletableFuture().orTimeout(PAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
			for (int i = 0; i < page.size(); i++) {
				Object head = heads.get(i).join();
				if (head instanceof String text && !text.isEmpty()) {
					int nl = text.indexOf('\n', 1);
					consumer.accept(page.get(i), (nl > 0) ? text.substring(1, nl) : text);
				}
			}
		}
	}

	private static void add(Map<String, Digest> digests, Hashed hashed) {
		digests.merge(hashed.bucket(), new Digest(1, hashed.value()), Digest::plus);
	}

	/** The same hash as the scripts: SHA-1 of key, NUL and version; bucket and value from its hex. */
	private static Hashed hash(String key, String version) {
		try {
			byte[] sha = MessageDigest.getInstance("SHA-1").digest((key + '\0' + version).getBytes(StandardCharsets.UTF_8));
			String hex = HexFormat.of().formatHex(sha);
			return new Hashed(hex.substring(0, 2), Long.parseLong(hex.substring(2, 10), 16));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Hashed(String bucket, long value) {
	}

	/**
	 * The digest of one bucket.
	 * @param count entries in it
	 * @param sum sum of their hashes, modulo 2^32
	 */
	record Digest(long count, long sum) {

		Digest plus(Digest other) {
			return new Digest(this.count + other.count, (this.sum + other.sum) % 4294967296L);
		}

	}

}
