package io.github.resilientcache.region;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The entry operations of one region, each one round trip on Redisson's async API. Writes are
 * conditional on the version (a Lua compare-and-set), so that a late, repeated or replayed write
 * never replaces a newer one.
 */
public final class RegionStore {

	/**
	 * Whether version text a is the same as or newer than b, byte by byte: Lua's own string
	 * comparison follows the server's locale, and two regions must never order versions differently.
	 */
	private static final String NOT_OLDER = """
			local function not_older(a, b)
			  if a == b then return true end
			  for i = 1, math.min(#a, #b) do
			    local x, y = string.byte(a, i), string.byte(b, i)
			    if x ~= y then return x > y end
			  end
			  return #a > #b
			end
			""";

	/**
	 * Stores ARGV[1] unless the key holds an entry whose version is the same or newer. Returns
	 * {@code applied * 2 + present}, present being whether the key held a value or a cached null.
	 */
	private static final String CONDITIONAL_SET = NOT_OLDER + """
			local cur = redis.call('GET', KEYS[1])
			local present = 0
			if cur then
			  if string.sub(cur, 1, 1) ~= 'T' then present = 1 end
			  local nl = string.find(cur, '\\n', 2, true)
			  if nl and not_older(string.sub(cur, 2, nl - 1), ARGV[3]) then return present end
			end
			local ttl = tonumber(ARGV[2])
			if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
			return 2 + present
			""";

	/**
	 * Stores ARGV[1] unless the key holds a value (returned) or a newer tombstone (nil returned).
	 */
	private static final String SET_IF_ABSENT = NOT_OLDER + """
			local cur = redis.call('GET', KEYS[1])
			if cur then
			  if string.sub(cur, 1, 1) ~= 'T' then return cur end
			  local nl = string.find(cur, '\\n', 2, true)
			  if nl and not_older(string.sub(cur, 2, nl - 1), ARGV[3]) then return false end
			end
			local ttl = tonumber(ARGV[2])
			if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
			return false
			""";

	/**
	 * Reads an entry with its remaining time to live in one round trip, for copies between regions.
	 */
	private static final String GET_WITH_TTL = """
			local value = redis.call('GET', KEYS[1])
			if not value then return {} end
			return {value, redis.call('PTTL', KEYS[1])}
			""";

	/**
	 * Deletes KEYS[1] only if it still holds ARGV[1] (a byte-exact comparison).
	 */
	private static final String DELETE_IF_SAME = """
			if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
			return 0
			""";

	private final RedissonClient client;

	private final RScript script;

	/**
	 * Creates the store of a region.
	 * @param client the region's client
	 */
	public RegionStore(RedissonClient client) {
		this.client = client;
		this.script = client.getScript(ByteArrayCodec.INSTANCE);
	}

	/**
	 * Reads the raw entry of a key.
	 * @param key the Redis key
	 * @return the stored bytes, {@code null} when the key does not exist
	 */
	public CompletionStage<byte @Nullable []> get(String key) {
		return this.client.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).getAsync();
	}

	/**
	 * Reads the raw entry of a key with its remaining time to live.
	 * @param key the Redis key
	 * @return the entry, {@code null} when the key does not exist
	 */
	public CompletionStage<@Nullable RawEntry> getWithTtl(String key) {
		CompletionStage<List<Object>> result = this.script.evalAsync(key, RScript.Mode.READ_ONLY, GET_WITH_TTL, RScript.ReturnType.LIST,
				List.of(key));
		return result.thenApply((list) -> (list == null || list.size() < 2) ? null
				: new RawEntry((byte[]) list.get(0), Math.max(0, ((Number) list.get(1)).longValue())));
	}

	/**
	 * Stores an entry (a value, a cached null or a tombstone) unless a newer version is stored.
	 * @param key the Redis key
	 * @param entry the entry
	 * @param ttlMillis time to live, {@code 0} for none
	 * @return the outcome
	 */
	public CompletionStage<WriteOutcome> write(String key, StoredEntry entry, long ttlMillis) {
		return write(key, encode(entry, ttlMillis));
	}

	/**
	 * Stores an entry encoded once for every region the write goes to, unless a newer version is
	 * stored.
	 * @param key the Redis key
	 * @param encoded the entry and its time to live, from {@link #encode}
	 * @return the outcome
	 */
	public CompletionStage<WriteOutcome> write(String key, EncodedEntry encoded) {
		CompletionStage<Long> result = this.script.evalAsync(key, RScript.Mode.READ_WRITE, CONDITIONAL_SET,
				RScript.ReturnType.LONG, List.of(key), encoded.args);
		return result.thenApply(WriteOutcome::of);
	}

	/**
	 * Encodes an entry for {@link #write(String, EncodedEntry)}: a write replicated to several
	 * regions builds its bytes once, not once per region.
	 * @param entry the entry
	 * @param ttlMillis time to live, {@code 0} for none
	 * @return the encoded entry, read-only and safe to share between regions
	 */
	public static EncodedEntry encode(StoredEntry entry, long ttlMillis) {
		return new EncodedEntry(args(entry, ttlMillis));
	}

	/**
	 * Stores a value entry only if the key holds no value.
	 * @param key the Redis key
	 * @param entry the entry
	 * @param ttlMillis time to live, {@code 0} for none
	 * @return the raw entry already stored, or {@code null} when this one was stored (or a newer
	 * tombstone kept the key empty)
	 */
	public CompletionStage<byte @Nullable []> writeIfAbsent(String key, StoredEntry entry, long ttlMillis) {
		return this.script.evalAsync(key, RScript.Mode.READ_WRITE, SET_IF_ABSENT, RScript.ReturnType.VALUE,
				List.of(key), args(entry, ttlMillis));
	}

	/**
	 * Deletes a key whatever it holds: used for a replay when no region holds the key any more.
	 * @param key the Redis key
	 * @return the number of keys deleted
	 */
	public CompletionStage<Long> delete(String key) {
		return this.client.getKeys().unlinkAsync(key);
	}

	/**
	 * Deletes a key only if it still holds the given bytes: used for undecodable entries, so that
	 * a good entry written since they were read (typically the reload their miss caused) is kept.
	 * @param key the Redis key
	 * @param expected the raw entry that was read
	 * @return the number of keys deleted
	 */
	public CompletionStage<Long> deleteIfSame(String key, byte[] expected) {
		return this.script.evalAsync(key, RScript.Mode.READ_WRITE, DELETE_IF_SAME, RScript.ReturnType.LONG, List.of(key),
				new Object[] { expected });
	}

	/**
	 * Deletes every key matching a glob pattern, on every node of the region.
	 * @param pattern the pattern, whose literal parts must be glob-escaped
	 * @return the number of keys deleted
	 */
	public CompletionStage<Long> deleteByPattern(String pattern) {
		return this.client.getKeys().unlinkByPatternAsync(pattern);
	}

	/**
	 * The client, for the recovery and journal code that needs more than entries.
	 * @return the Redisson client
	 */
	public RedissonClient client() {
		return this.client;
	}

	private static Object[] args(StoredEntry entry, long ttlMillis) {
		return new Object[] { entry.toBytes(), Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII),
				entry.version().sortKey().getBytes(StandardCharsets.UTF_8) };
	}

	/**
	 * The script arguments of a conditional write: the stored bytes, the time to live and the
	 * version. Never modified once built (Redisson only wraps the arrays to send them).
	 */
	public static final class EncodedEntry {

		private final Object[] args;

		private EncodedEntry(Object[] args) {
			this.args = args;
		}

	}

	/**
	 * An entry as stored, with its remaining time to live.
	 * @param bytes the stored bytes
	 * @param ttlMillis remaining time to live, {@code 0} for none
	 */
	public record RawEntry(byte[] bytes, long ttlMillis) {

		/**
		 * The entry these bytes hold.
		 * @return the entry, {@code null} if the bytes are not an entry of this format
		 */
		public @Nullable StoredEntry entry() {
			try {
				return StoredEntry.fromBytes(this.bytes);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

	/**
	 * What a conditional write did.
	 * @param applied whether the entry was stored (no newer version was there)
	 * @param wasPresent whether the key held a value or a cached null before
	 */
	public record WriteOutcome(boolean applied, boolean wasPresent) {

		static WriteOutcome of(Long code) {
			return new WriteOutcome(code >= 2, (code & 1) == 1);
		}

	}

}
