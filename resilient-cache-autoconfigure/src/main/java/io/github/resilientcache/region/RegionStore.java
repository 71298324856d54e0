package io.github.resilientcache.region;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RBucketAsync;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

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
	 * Announces a change of KEYS[1] to near caches on channel {@code ch} (nothing when it is empty:
	 * no cache of the key keeps a near tier): {@code K<server time in microseconds>\n<version>\n<key>},
	 * an empty version for a delete. In the same script as the change, so that no change is made
	 * without its announcement.
	 */
	private static final String ANNOUNCE = """
			local function announce(ch, version)
			  if ch == nil or ch == '' then return end
			  local t = redis.call('TIME')
			  redis.call('PUBLISH', ch, 'K' .. t[1] .. string.format('%06d', tonumber(t[2])) .. '\\n' .. version .. '\\n' .. KEYS[1])
			end
			""";

	/**
	 * Reads KEYS[1] as a string; a key of another Redis type (not written by the cache, and the key
	 * is under the cache's prefix) is deleted and read as absent, and {@code flags} tells so (4).
	 * Then parses the current entry's stamp; a stamp beyond ARGV[5] (the wall clock plus the allowed
	 * drift) is not trusted: the entry is treated as absent and replaced, and flags tells so (8).
	 */
	private static final String READ_CURRENT = """
			local cur = redis.pcall('GET', KEYS[1])
			local flags = 0
			if type(cur) == 'table' and cur.err then
			  redis.call('UNLINK', KEYS[1])
			  cur = false
			  flags = 4
			end
			local curversion = false
			local curnl = false
			local present = 0
			if cur then
			  if string.sub(cur, 1, 1) ~= 'T' then present = 1 end
			  local nl = string.find(cur, '\\n', 2, true)
			  if nl and nl > 18 then
			    curnl = nl
			    curversion = string.sub(cur, 2, nl - 1)
			    if not not_older(ARGV[5], string.sub(curversion, 1, 16)) then
			      curversion = false
			      flags = flags + 8
			    end
			  end
			end
			local function store(version)
			  local ttl = tonumber(ARGV[3])
			  local entry = ARGV[1] .. version .. '\\n' .. ARGV[2]
			  if ttl > 0 then redis.call('SET', KEYS[1], entry, 'PX', ttl) else redis.call('SET', KEYS[1], entry) end
			  announce(ARGV[6], version)
			end
			""";

	/**
	 * The one-past stamp of a 16-hex-digit stamp, computed on the text (Lua numbers are doubles:
	 * 64-bit stamps would lose precision).
	 */
	private static final String NEXT_STAMP = """
			local function next_stamp(h)
			  local digits = '0123456789abcdef'
			  local out = {}
			  local carry = 1
			  for i = 16, 1, -1 do
			    local d = string.find(digits, string.sub(h, i, i), 1, true) - 1 + carry
			    if d == 16 then d = 0 else carry = 0 end
			    out[i] = string.sub(digits, d + 1, d + 1)
			  end
			  return table.concat(out)
			end
			""";

	/**
	 * The first region a write reaches: stores the entry (kind ARGV[1], payload ARGV[2], ttl
	 * ARGV[3]) with a version after whatever the key holds, max(current + 1, proposed ARGV[4]), so
	 * that a write or eviction always wins over what it replaces, whatever the writers' clocks say.
	 * Idempotent: when the key already holds the same entry (a client retry of this write, or the
	 * same value written again) it is kept with its version. Returns {flags + 2 + present, version}.
	 */
	private static final String CAUSAL_SET = NOT_OLDER + NEXT_STAMP + ANNOUNCE + READ_CURRENT + """
			if curversion and string.sub(cur, 1, 1) == ARGV[1] and string.sub(cur, curnl + 1) == ARGV[2] then
			  return {flags + 2 + present, curversion}
			end
			local version = ARGV[4]
			if curversion and not_older(curversion, version) then
			  version = next_stamp(string.sub(curversion, 1, 16)) .. string.sub(ARGV[4], 17)
			end
			store(version)
			return {flags + 2 + present, version}
			""";

	/**
	 * Replication, replay and repair: stores the entry with exactly the version ARGV[4] unless the
	 * key holds the same or a newer trusted version. Returns {flags + applied * 2 + present, version}.
	 */
	private static final String CONDITIONAL_SET = NOT_OLDER + ANNOUNCE + READ_CURRENT + """
			if curversion and not_older(curversion, ARGV[4]) then return {flags + present, curversion} end
			store(ARGV[4])
			return {flags + 2 + present, ARGV[4]}
			""";

	/** {@link #CONDITIONAL_SET} for many keys of one node in one call (see {@link #forEachKey}). */
	private static final String CONDITIONAL_SET_ALL = forEachKey(CONDITIONAL_SET);

	/** {@link #CAUSAL_SET} for many keys of one node in one call (see {@link #forEachKey}). */
	private static final String CAUSAL_SET_ALL = forEachKey(CAUSAL_SET);

	/** Arguments per key of the entry write scripts: kind, payload, ttl, version, max trusted stamp, channel. */
	private static final int ENTRY_WRITE_ARGS = 6;

	/**
	 * Stores the entry unless the key holds a value (returned as {0, value}); after a tombstone, with
	 * a version past it, as for a causal write. Returns {flags + 2, version} when stored.
	 */
	private static final String SET_IF_ABSENT = NOT_OLDER + NEXT_STAMP + ANNOUNCE + READ_CURRENT + """
			if present == 1 then return {flags, cur} end
			local version = ARGV[4]
			if curversion and not_older(curversion, version) then
			  version = next_stamp(string.sub(curversion, 1, 16)) .. string.sub(ARGV[4], 17)
			end
			store(version)
			return {flags + 2, version}
			""";

	/**
	 * Deletes KEYS[1] unless it holds an entry with a trusted version newer than ARGV[1]: the repair
	 * of a write no region took, or of a key no healthy region holds any more. Returns 1 if deleted.
	 */
	private static final String DELETE_UNLESS_NEWER = NOT_OLDER + ANNOUNCE + """
			local cur = redis.pcall('GET', KEYS[1])
			if not cur then return 0 end
			if type(cur) == 'string' then
			  local nl = string.find(cur, '\\n', 2, true)
			  if nl and nl > 18 then
			    local v = string.sub(cur, 2, nl - 1)
			    if not_older(ARGV[2], string.sub(v, 1, 16)) and not_older(v, ARGV[1]) and v ~= ARGV[1] then return 0 end
			  end
			end
			local deleted = redis.call('UNLINK', KEYS[1])
			announce(ARGV[3], '')
			return deleted
			""";

	/**
	 * Reads an entry with its remaining time to live in one round trip, for copies between regions.
	 */
	private static final String GET_WITH_TTL = """
			local value = redis.pcall('GET', KEYS[1])
			if not value or type(value) == 'table' then return {} end
			return {value, redis.call('PTTL', KEYS[1])}
			""";

	/**
	 * Deletes KEYS[1] only if it still holds ARGV[1] (a byte-exact comparison).
	 */
	private static final String DELETE_IF_SAME = ANNOUNCE + """
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  local deleted = redis.call('DEL', KEYS[1])
			  announce(ARGV[2], '')
			  return deleted
			end
			return 0
			""";

	/**
	 * Reads every key of KEYS with its remaining time to live, in one call: {value, pttl, ...}, an
	 * empty string and -2 for a key that is absent or of another type.
	 */
	private static final String GET_ALL_WITH_TTL = """
			local out = {}
			for i = 1, #KEYS do
			  local value = redis.pcall('GET', KEYS[i])
			  if value and type(value) ~= 'table' then
			    out[#out + 1] = value
			    out[#out + 1] = redis.call('PTTL', KEYS[i])
			  else
			    out[#out + 1] = ''
			    out[#out + 1] = -2
			  end
			end
			return out
			""";

	/**
	 * One SCAN page with the entries it found: {cursor, key, value, pttl, ...}, skipping keys of
	 * another Redis type. ARGV: cursor, pattern, count. Keys and values never cross the network twice.
	 */
	private static final String SCAN_WITH_TTL = """
			local r = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', tonumber(ARGV[3]))
			local out = {r[1]}
			for _, key in ipairs(r[2]) do
			  local value = redis.pcall('GET', key)
			  if type(value) == 'string' then
			    out[#out + 1] = key
			    out[#out + 1] = value
			    out[#out + 1] = redis.call('PTTL', key)
			  end
			end
			return out
			""";

	/**
	 * Copies entries read from another region, unchanged, for every key of KEYS in one call: ARGV[1]
	 * is the largest trusted stamp, then two arguments per key (the stored bytes, checked by the
	 * caller, and the ttl). An absent key is written at once ({@code SET NX}: a rebuilt region is
	 * often empty); a key keeps what it holds when that is a trusted entry of the same or a newer
	 * version. Returns how many were applied.
	 */
	private static final String COPY_ALL = NOT_OLDER + """
			local function set(key, raw, ttl, nx)
			  if ttl > 0 then
			    if nx then return redis.call('SET', key, raw, 'PX', ttl, 'NX') end
			    return redis.call('SET', key, raw, 'PX', ttl)
			  end
			  if nx then return redis.call('SET', key, raw, 'NX') end
			  return redis.call('SET', key, raw)
			end
			local applied = 0
			for i = 1, #KEYS do
			  local raw = ARGV[i * 2]
			  local inl = string.find(raw, '\\n', 2, true)
			  local ttl = tonumber(ARGV[i * 2 + 1])
			  if not inl or inl < 19 then
			    -- not an entry of this format: never copied
			  elseif set(KEYS[i], raw, ttl, true) then
			    applied = applied + 1
			  else
			    local cur = redis.pcall('GET', KEYS[i])
			    if type(cur) == 'table' and cur.err then
			      redis.call('UNLINK', KEYS[i])
			      cur = false
			    end
			    local keep = false
			    if cur then
			      local nl = string.find(cur, '\\n', 2, true)
			      if nl and nl > 18 then
			        local v = string.sub(cur, 2, nl - 1)
			        keep = not_older(ARGV[1], string.sub(v, 1, 16)) and not_older(v, string.sub(raw, 2, inl - 1))
			      end
			    end
			    if not keep then
			      set(KEYS[i], raw, ttl, false)
			      applied = applied + 1
			    end
			  end
			end
			return applied
			""";

	/**
	 * DELETE_UNLESS_NEWER for every key of KEYS in one call (ARGV as for one key). Returns how many
	 * were deleted.
	 */
	private static final String DELETE_ALL_UNLESS_NEWER = NOT_OLDER + """
			local deleted = 0
			for i = 1, #KEYS do
			  local cur = redis.pcall('GET', KEYS[i])
			  local keep = not cur
			  if type(cur) == 'string' then
			    local nl = string.find(cur, '\\n', 2, true)
			    if nl and nl > 18 then
			      local v = string.sub(cur, 2, nl - 1)
			      keep = not_older(ARGV[2], string.sub(v, 1, 16)) and not_older(v, ARGV[1]) and v ~= ARGV[1]
			    end
			  end
			  if not keep then deleted = deleted + redis.call('UNLINK', KEYS[i]) end
			end
			return deleted
			""";

	/**
	 * Deletes KEYS[1] if it holds a Redis type other than a string: the cache never writes one.
	 */
	private static final String DELETE_IF_WRONG_TYPE = """
			local t = redis.call('TYPE', KEYS[1])
			if t.ok ~= 'string' and t.ok ~= 'none' then return redis.call('UNLINK', KEYS[1]) end
			return 0
			""";

	private final RedissonClient client;

	private final RScript script;

	private final LongSupplier maxTrustedStamp;

	private final boolean cluster;

	/** Concurrent reads, sent together as one {@code MGET} when they find the wire busy. */
	private final Pipeline<String, byte @Nullable []> reads;

	/** Concurrent first writes ({@link #writeFirst}), sent together when they find the wire busy. */
	private final Pipeline<EntryWrite, List<Object>> firstWrites;

	/** Concurrent replicated writes ({@link #write}), sent together when they find the wire busy. */
	private final Pipeline<EntryWrite, List<Object>> copyWrites;

	/** The SHA-1 of each script sent in batches, as the servers answered when it was loaded once into every master. */
	private final Map<String, String> shas = new ConcurrentHashMap<>();

	private static final byte[] NO_CHANNEL = new byte[0];

	/**
	 * Commands of one kind (reads, first writes, replicated writes) on the wire at once before
	 * concurrent callers queue and leave together as one batch (see {@link Pipeline}). Two: while
	 * one batch is on the wire the next one fills, and a lone caller never waits. Measured against 1
	 * (every caller behind the one command on the wire) and against no limit (every caller alone,
	 * as before batching): see docs/benchmarks.md.
	 */
	static final int IN_FLIGHT = 2;

	/** Where changes of keys of near-cached caches are announced; nothing is announced until set. */
	private volatile @Nullable NearAnnouncements announcements;

	/**
	 * Creates the store of a region.
	 * @param client the region's client
	 * @param maxTrustedStamp the largest version stamp trusted now (the wall clock plus the allowed
	 * drift): an entry stamped further ahead is replaced, never kept as newest
	 */
	public RegionStore(RedissonClient client, LongSupplier maxTrustedStamp) {
		this.client = client;
		this.script = client.getScript(ByteArrayCodec.INSTANCE);
		this.maxTrustedStamp = maxTrustedStamp;
		this.cluster = client.getConfig().isClusterConfig();
		this.reads = new Pipeline<>(IN_FLIGHT, this::getOne, this::getMany);
		this.firstWrites = new Pipeline<>(IN_FLIGHT, (write) -> eval(write.key(), CAUSAL_SET, write.encoded(), write.version()),
				(writes) -> writeEach(CAUSAL_SET, CAUSAL_SET_ALL, writes));
		this.copyWrites = new Pipeline<>(IN_FLIGHT, (write) -> eval(write.key(), CONDITIONAL_SET, write.encoded(), write.version()),
				(writes) -> writeEach(CONDITIONAL_SET, CONDITIONAL_SET_ALL, writes));
	}

	/**
	 * Announces every change of the keys near caches hold, in the same script as the change where
	 * there is one (single-key writes and deletes), right after it for bulk copies and clears.
	 * Keys of other caches cost nothing: no PUBLISH, no extra argument.
	 * @param channel the channel, from {@link KeySpace#nearChannel()}
	 * @param announced whether a Redis key belongs to a cache that keeps a near tier
	 */
	public void announceChanges(String channel, Predicate<String> announced) {
		this.announcements = new NearAnnouncements(utf8(channel), channel, announced);
	}

	private byte[] channelFor(String key) {
		NearAnnouncements current = this.announcements;
		return (current != null && current.announced().test(key)) ? current.channel() : NO_CHANNEL;
	}

	/**
	 * Announces changes made without a script per key (bulk copies and deletes), pipelined, after
	 * they were made. Nothing is computed when no cache keeps a near tier.
	 * @param keys the Redis keys changed
	 * @param version the new version of a key, an empty one for a delete
	 */
	private CompletionStage<Void> announceAll(java.util.Collection<String> keys, java.util.function.Function<String, String> version) {
		NearAnnouncements current = this.announcements;
		if (current == null) {
			return CompletableFuture.completedFuture(null);
		}
		RBatch batch = null;
		for (String key : keys) {
			if (current.announced().test(key)) {
				batch = (batch != null) ? batch : this.client.createBatch(BatchOptions.defaults());
				batch.getTopic(current.name(), StringCodec.INSTANCE)
					.publishAsync(NearAnnouncements.keyMessage(System.currentTimeMillis() * 1000, version.apply(key), key));
			}
		}
		return (batch != null) ? batch.executeAsync().thenApply((result) -> null) : CompletableFuture.completedFuture(null);
	}


	/**
	 * Reads the raw entry of a key: a plain {@code GET}, or, when other reads of this region are on
	 * the wire, part of one {@code MGET} with the reads waiting beside it ({@link ReadPipeline}). In
	 * an {@code MGET} a key of another Redis type reads as absent rather than failing (the next write
	 * of the key repairs it, as a {@code GET}'s error would have).
	 * @param key the Redis key
	 * @return the stored bytes, {@code null} when the key does not exist
	 */
	public CompletionStage<byte @Nullable []> get(String key) {
		return this.reads.submit(key);
	}

	private CompletionStage<byte @Nullable []> getOne(String key) {
		return this.client.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).getAsync();
	}

	/** {@code MGET}; on a Cluster, Redisson splits it by slot. */
	private CompletionStage<List<byte @Nullable []>> getMany(List<String> keys) {
		CompletionStage<Map<String, byte[]>> values = this.client.getBuckets(ByteArrayCodec.INSTANCE).getAsync(keys.toArray(String[]::new));
		return values.thenApply((present) -> {
			List<byte @Nullable []> inOrder = new ArrayList<>(keys.size());
			keys.forEach((key) -> inOrder.add(present.get(key)));
			return inOrder;
		});
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
	 * The first write of an entry: stored with a version after whatever the key holds, so that it
	 * always wins over what it replaces in this region. Concurrent first writes that find the wire
	 * busy leave together ({@link Pipeline}), but never after their caller's deadline: a write that
	 * always wins must not reach a slow or paused region after its caller gave up on it, journaled it
	 * and wrote elsewhere, where it would win over what the replay put there since (seen in
	 * FailbackTests with a paused region when queued writes outlived their callers).
	 * @param key the Redis key
	 * @param encoded the entry, from {@link #encode}
	 * @param proposed the writer's version; the stored one is this or one past the current
	 * @return the outcome, with the version stored, which replication carries to the other regions
	 */
	public CompletionStage<WriteOutcome> writeFirst(String key, EncodedEntry encoded, Version proposed) {
		return this.firstWrites.submit(new EntryWrite(key, encoded, proposed)).thenApply(WriteOutcome::of);
	}

	/**
	 * Stores an entry with exactly the given version unless the key holds the same or a newer one:
	 * replication, replay and repair.
	 * @param key the Redis key
	 * @param encoded the entry, from {@link #encode}
	 * @param version the version
	 * @return the outcome
	 */
	public CompletionStage<WriteOutcome> write(String key, EncodedEntry encoded, Version version) {
		return this.copyWrites.submit(new EntryWrite(key, encoded, version)).thenApply(WriteOutcome::of);
	}

	/**
	 * Copies an entry read from another region, with its version, unless the key holds the same or
	 * a newer one.
	 * @param key the Redis key
	 * @param entry the entry
	 * @param ttlMillis time to live, {@code 0} for none
	 * @return the outcome
	 */
	public CompletionStage<WriteOutcome> write(String key, StoredEntry entry, long ttlMillis) {
		return write(key, encode(entry.kind(), entry.payload(), ttlMillis), entry.version());
	}

	/**
	 * Encodes an entry once for every region a write goes to.
	 * @param kind what the entry holds
	 * @param payload the encoded value, empty for a cached null or a tombstone
	 * @param ttlMillis time to live, {@code 0} for none
	 * @return the encoded entry, read-only and safe to share between regions
	 */
	public static EncodedEntry encode(StoredEntry.Kind kind, byte[] payload, long ttlMillis) {
		return new EncodedEntry(new byte[] { (byte) kind.code() }, payload, Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Stores a value entry only if the key holds no value.
	 * @param key the Redis key
	 * @param encoded the entry
	 * @param proposed the writer's version; after a tombstone, the stored one is past it
	 * @return the outcome: the value already stored, or the version stored
	 */
	public CompletionStage<IfAbsentOutcome> writeIfAbsent(String key, EncodedEntry encoded, Version proposed) {
		return eval(key, SET_IF_ABSENT, encoded, proposed).thenApply((list) -> {
			long code = ((Number) list.get(0)).longValue();
			byte[] second = (byte[]) list.get(1);
			return ((code & 2) != 0) ? new IfAbsentOutcome(null, Version.parse(new String(second, StandardCharsets.UTF_8)))
					: new IfAbsentOutcome(second, null);
		});
	}

	/**
	 * Deletes a key unless it holds a trusted entry newer than a version: the repair of a write that
	 * no region took (its value is nowhere; an older one must not come back), or of a key that no
	 * healthy region holds any more.
	 * @param key the Redis key
	 * @param version the version the key must not be newer than
	 * @return whether it was deleted
	 */
	public CompletionStage<Boolean> deleteUnlessNewer(String key, Version version) {
		CompletionStage<Long> result = this.script.evalAsync(key, RScript.Mode.READ_WRITE, DELETE_UNLESS_NEWER, RScript.ReturnType.LONG,
				List.of(key), utf8(version.sortKey()), utf8(hex(this.maxTrustedStamp.getAsLong())), channelFor(key));
		return result.thenApply((deleted) -> deleted > 0);
	}

	private CompletionStage<List<Object>> eval(String key, String script, EncodedEntry encoded, Version version) {
		return this.script.evalAsync(key, RScript.Mode.READ_WRITE, script, RScript.ReturnType.LIST, List.of(key), encoded.kind, encoded.payload,
				encoded.ttl, utf8(version.sortKey()), utf8(hex(this.maxTrustedStamp.getAsLong())), channelFor(key));
	}

	/**
	 * Turns a single-key entry write script into one that runs it for every key it is given: key i
	 * is KEYS[i] and its arguments are ARGV[(i - 1) * 6 + 1] to ARGV[i * 6], in the single-key
	 * script's order. Returns the single-key results flattened, two items per key. Only where every
	 * key lives on one server (a single server or a Sentinel primary); a Cluster pipelines the
	 * single-key script instead.
	 * @param script the single-key script, which reads KEYS[1] and ARGV
	 * @return the script for many keys
	 */
	private static String forEachKey(String script) {
		String body = script.replace("KEYS[1]", "k").replace("ARGV[", "a[");
		return "local function one(k, a)\n" + body + "\nend\n" + """
				local out = {}
				for i = 1, #KEYS do
				  local a = {}
				  for j = 1, %d do a[j] = ARGV[(i - 1) * %d + j] end
				  local r = one(KEYS[i], a)
				  out[#out + 1] = r[1]
				  out[#out + 1] = r[2]
				end
				return out
				""".formatted(ENTRY_WRITE_ARGS, ENTRY_WRITE_ARGS);
	}

	/**
	 * Entry writes of several keys as one script call (the script for all keys), or as a pipeline of
	 * per-key calls on a Cluster (see {@link #inBatch}).
	 */
	private CompletableFuture<List<List<Object>>> writeEach(String script, String scriptForAll, List<EntryWrite> writes) {
		if (!this.cluster) {
			// One script call for all of them: every key lives on this one server.
			byte[] maxTrusted = utf8(hex(this.maxTrustedStamp.getAsLong()));
			List<Object> keys = new ArrayList<>(writes.size());
			Object[] args = new Object[writes.size() * ENTRY_WRITE_ARGS];
			int at = 0;
			for (EntryWrite write : writes) {
				keys.add(write.key());
				args[at++] = write.encoded().kind;
				args[at++] = write.encoded().payload;
				args[at++] = write.encoded().ttl;
				args[at++] = utf8(write.version().sortKey());
				args[at++] = maxTrusted;
				args[at++] = channelFor(write.key());
			}
			CompletionStage<List<Object>> flat = this.script.evalAsync(writes.get(0).key(), RScript.Mode.READ_WRITE, scriptForAll,
					RScript.ReturnType.LIST, keys, args);
			return flat.toCompletableFuture().thenApply((results) -> {
				List<List<Object>> perKey = new ArrayList<>(writes.size());
				for (int i = 0; i + 1 < results.size(); i += 2) {
					perKey.add(results.subList(i, i + 2));
				}
				if (perKey.size() != writes.size()) {
					throw new IllegalStateException("The write script answered " + perKey.size() + " results for " + writes.size() + " keys");
				}
				return perKey;
			});
		}
		return inBatch(script, (batchScript, sha) -> {
			byte[] maxTrusted = utf8(hex(this.maxTrustedStamp.getAsLong()));
			List<CompletableFuture<List<Object>>> results = new ArrayList<>(writes.size());
			for (EntryWrite write : writes) {
				EncodedEntry encoded = write.encoded();
				results.add(batchScript.<List<Object>>evalShaAsync(write.key(), RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST,
						List.of(write.key()), encoded.kind, encoded.payload, encoded.ttl, utf8(write.version().sortKey()), maxTrusted,
						channelFor(write.key())).toCompletableFuture());
			}
			return () -> results.stream().map(CompletableFuture::join).toList();
		});
	}

	/** One entry write waiting in a {@link Pipeline}. */
	private record EntryWrite(String key, EncodedEntry encoded, Version version) {
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String hex(long stamp) {
		String hex = Long.toHexString(stamp);
		return "0".repeat(16 - hex.length()) + hex;
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
				expected, channelFor(key));
	}

	/**
	 * Reads many entries with their times to live in one pipelined round trip (per node).
	 * @param keys the Redis keys
	 * @return the entries in the same order, {@code null} where a key does not exist
	 */
	public CompletableFuture<List<@Nullable RawEntry>> getWithTtl(List<String> keys) {
		if (!this.cluster && !keys.isEmpty()) {
			// One script call for the whole page: on a single server or a Sentinel primary every key
			// lives on the same node.
			// Through Redisson's script cache: EVALSHA, and the script loaded only when the server
			// answers NOSCRIPT (a restart emptied its cache). READ_WRITE: Redis 6.2 lacks EVALSHA_RO.
			CompletionStage<List<Object>> all = this.script.evalAsync(keys.get(0), RScript.Mode.READ_WRITE, GET_ALL_WITH_TTL,
					RScript.ReturnType.LIST, new ArrayList<>(keys));
			return all.toCompletableFuture().thenApply((list) -> {
				List<@Nullable RawEntry> entries = new ArrayList<>(keys.size());
				for (int i = 0; i + 1 < list.size(); i += 2) {
					byte[] value = (byte[]) list.get(i);
					long pttl = ((Number) list.get(i + 1)).longValue();
					entries.add((value.length == 0 && pttl == -2) ? null : new RawEntry(value, Math.max(0, pttl)));
				}
				return entries;
			});
		}
		return inBatch(GET_WITH_TTL, (batchScript, sha) -> {
			List<CompletableFuture<List<Object>>> reads = new ArrayList<>(keys.size());
			for (String key : keys) {
				// READ_WRITE: Redisson sends a read-only EVALSHA as EVALSHA_RO, which Redis 6.2 lacks.
				reads.add(batchScript.<List<Object>>evalShaAsync(key, RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, List.of(key))
					.toCompletableFuture());
			}
			return () -> {
				List<@Nullable RawEntry> entries = new ArrayList<>(keys.size());
				for (CompletableFuture<List<Object>> read : reads) {
					List<Object> list = read.join();
					entries.add((list == null || list.size() < 2) ? null
							: new RawEntry((byte[]) list.get(0), Math.max(0, ((Number) list.get(1)).longValue())));
				}
				return entries;
			};
		});
	}

	/**
	 * Copies many entries read from another region, each with its version and unless the key holds
	 * the same or a newer one, in one pipelined round trip (per node).
	 * @param entries the Redis keys and the raw entries to copy; bytes that are not an entry of this
	 * format, or whose stamp is too far ahead of the clock, are not copied
	 * @return how many were applied
	 */
	public CompletableFuture<Long> writeAll(Map<String, RawEntry> entries) {
		if (entries.isEmpty()) {
			return CompletableFuture.completedFuture(0L);
		}
		// First every key that does not exist, with plain pipelined SET NX commands (a rebuilt
		// region is often empty, and an absent key is written by the compare-and-set anyway); then
		// the version rule for the keys that exist. The bytes go unchanged: nothing is re-encoded.
		RBatch batch = this.client.createBatch(BatchOptions.defaults());
		Map<String, CompletableFuture<Boolean>> absent = new LinkedHashMap<>();
		long maxTrusted = this.maxTrustedStamp.getAsLong();
		entries.forEach((key, raw) -> {
			Version version = raw.version();
			if (version == null || version.stamp() < 0 || version.stamp() > maxTrusted) {
				// Not an entry of this format, or stamped too far ahead: never copied.
				return;
			}
			RBucketAsync<byte[]> bucket = batch.getBucket(key, ByteArrayCodec.INSTANCE);
			absent.put(key, ((raw.ttlMillis() > 0) ? bucket.setIfAbsentAsync(raw.bytes(), Duration.ofMillis(raw.ttlMillis()))
					: bucket.setIfAbsentAsync(raw.bytes())).toCompletableFuture());
		});
		return batch.executeAsync().toCompletableFuture().thenCompose((ignored) -> {
			Map<String, RawEntry> existing = new LinkedHashMap<>();
			absent.forEach((key, written) -> {
				if (!written.join()) {
					existing.put(key, entries.get(key));
				}
			});
			long written = absent.size() - existing.size();
			return writeExisting(existing).thenApply((applied) -> written + applied);
		}).thenCompose((count) -> announceAll(absent.keySet(), (key) -> {
			Version version = entries.get(key).version();
			return (version != null) ? version.sortKey() : "";
		}).thenApply((done) -> count));
	}

	private CompletableFuture<Long> writeExisting(Map<String, RawEntry> entries) {
		if (entries.isEmpty()) {
			return CompletableFuture.completedFuture(0L);
		}
		if (!this.cluster) {
			List<Object> keys = new ArrayList<>(entries.size());
			List<Object> args = new ArrayList<>(entries.size() * 2 + 1);
			args.add(utf8(hex(this.maxTrustedStamp.getAsLong())));
			entries.forEach((key, raw) -> {
				keys.add(key);
				args.add(raw.bytes());
				args.add(utf8(Long.toString(raw.ttlMillis())));
			});
			CompletionStage<Long> applied = this.script.evalAsync((String) keys.get(0), RScript.Mode.READ_WRITE, COPY_ALL, RScript.ReturnType.LONG,
					keys, args.toArray());
			return applied.toCompletableFuture();
		}
		byte[] maxTrusted = utf8(hex(this.maxTrustedStamp.getAsLong()));
		return inBatch(CONDITIONAL_SET, (batchScript, sha) -> {
			List<CompletableFuture<List<Object>>> writes = new ArrayList<>(entries.size());
			entries.forEach((key, raw) -> {
				StoredEntry entry = raw.entry();
				if (entry != null) {
					EncodedEntry encoded = encode(entry.kind(), entry.payload(), raw.ttlMillis());
					writes.add(batchScript.<List<Object>>evalShaAsync(key, RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, List.of(key),
							encoded.kind, encoded.payload, encoded.ttl, utf8(entry.version().sortKey()), maxTrusted).toCompletableFuture());
				}
			});
			return () -> writes.stream().filter((write) -> WriteOutcome.of(write.join()).applied()).count();
		});
	}


	/**
	 * Deletes many keys, each unless it holds a trusted entry newer than the version, in one
	 * pipelined round trip (per node).
	 * @param keys the Redis keys
	 * @param version the version the keys must not be newer than
	 * @return how many were deleted
	 */
	public CompletableFuture<Long> deleteAllUnlessNewer(List<String> keys, Version version) {
		if (keys.isEmpty()) {
			return CompletableFuture.completedFuture(0L);
		}
		byte[] versionText = utf8(version.sortKey());
		byte[] maxTrusted = utf8(hex(this.maxTrustedStamp.getAsLong()));
		if (!this.cluster) {
			CompletionStage<Long> deleted = this.script.evalAsync(keys.get(0), RScript.Mode.READ_WRITE, DELETE_ALL_UNLESS_NEWER,
					RScript.ReturnType.LONG, new ArrayList<>(keys), versionText, maxTrusted);
			// Announced after the deletes, for every key asked (a key kept as newer loses at most its
			// near copy, which the next read fills again).
			return deleted.thenCompose((count) -> announceAll(keys, (key) -> "").thenApply((done) -> count)).toCompletableFuture();
		}
		return inBatch(DELETE_UNLESS_NEWER, (batchScript, sha) -> {
			List<CompletableFuture<Long>> deletes = new ArrayList<>(keys.size());
			for (String key : keys) {
				deletes.add(batchScript.<Long>evalShaAsync(key, RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LONG, List.of(key),
						versionText, maxTrusted, channelFor(key)).toCompletableFuture());
			}
			return () -> deletes.stream().filter((delete) -> delete.join() > 0).count();
		});
	}

	/**
	 * Runs a pipelined batch of EVALSHA calls of one script: the per-key pages of a Cluster region
	 * (whose keys spread over several masters) and the writes that found the wire busy
	 * ({@link Pipeline}). The script is loaded once, not per batch; when a master answers
	 * NOSCRIPT (it restarted or failed over since, and lost its script cache) the script is loaded
	 * into every master and the batch sent once more: every script is idempotent.
	 * @param script the script's text
	 * @param commands adds the batch's commands, given the batch's script API and the SHA, and
	 * returns what reads their results once the batch has run
	 */
	private <T> CompletableFuture<T> inBatch(String script, BiFunction<RScriptAsync, String, Supplier<T>> commands) {
		String sha = this.shas.get(script);
		if (sha == null) {
			// Loaded into every master before the first batch: a batch that met NOSCRIPT on one master
			// only would be sent again whole, and the commands the other masters ran would then report
			// what they found the second time (already written) instead of what they did.
			return this.script.scriptLoadAsync(script).toCompletableFuture().thenCompose((loaded) -> {
				this.shas.put(script, loaded);
				return inBatch(script, commands);
			});
		}
		return runBatch(commands, sha).exceptionallyCompose((ex) -> {
			if (!isNoScript(ex)) {
				return CompletableFuture.failedFuture(ex);
			}
			return this.script.scriptLoadAsync(script).toCompletableFuture().thenCompose((loaded) -> runBatch(commands, loaded));
		});
	}

	private <T> CompletableFuture<T> runBatch(BiFunction<RScriptAsync, String, Supplier<T>> commands, String sha) {
		RBatch batch = this.client.createBatch(BatchOptions.defaults());
		Supplier<T> results = commands.apply(batch.getScript(ByteArrayCodec.INSTANCE), sha);
		return batch.executeAsync().toCompletableFuture().thenApply((ignored) -> results.get());
	}

	private static boolean isNoScript(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RedisNoScriptException || String.valueOf(cause.getMessage()).contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether {@link #scanWithTtl} can read this region: every key on one server (a single server
	 * or a Sentinel primary). A Cluster's keys spread over masters that one script cannot scan.
	 * @return whether pages of entries can be scanned in one call each
	 */
	public boolean scansEntries() {
		return !this.cluster;
	}

	/**
	 * One SCAN page with the entries found and their remaining times to live, in one round trip:
	 * what a copy of the whole region reads. Only where {@link #scansEntries()}.
	 * @param cursor the cursor, {@code "0"} to start
	 * @param pattern the glob pattern
	 * @param count the SCAN count hint
	 * @return the page; its cursor is {@code "0"} after the last page
	 */
	public CompletableFuture<EntryPage> scanWithTtl(String cursor, String pattern, int count) {
		CompletionStage<List<Object>> page = this.script.evalAsync(RScript.Mode.READ_WRITE, SCAN_WITH_TTL, RScript.ReturnType.LIST, List.of(),
				utf8(cursor), utf8(pattern), utf8(Integer.toString(count)));
		return page.toCompletableFuture().thenApply((list) -> {
			Map<String, RawEntry> entries = new LinkedHashMap<>();
			for (int i = 1; i + 2 < list.size(); i += 3) {
				entries.put(new String((byte[]) list.get(i), StandardCharsets.UTF_8),
						new RawEntry((byte[]) list.get(i + 1), Math.max(0, ((Number) list.get(i + 2)).longValue())));
			}
			return new EntryPage(new String((byte[]) list.get(0), StandardCharsets.UTF_8), entries);
		});
	}

	/**
	 * The entry keys of this region matching a pattern, scanned in pages (on every master).
	 * @param pattern the glob pattern
	 * @param pageSize keys per SCAN page
	 * @return the keys, lazily
	 */
	public Iterator<String> scan(String pattern, int pageSize) {
		return this.client.getKeys().getKeysStreamByPattern(pattern, pageSize).iterator();
	}

	/**
	 * Deletes a key of the wrong Redis type (a hash, a list...) found where an entry belongs.
	 * @param key the Redis key
	 * @return the number of keys deleted
	 */
	public CompletionStage<Long> deleteIfWrongType(String key) {
		return this.script.evalAsync(key, RScript.Mode.READ_WRITE, DELETE_IF_WRONG_TYPE, RScript.ReturnType.LONG, List.of(key));
	}

	/**
	 * Deletes every key matching a glob pattern, on every node of the region.
	 * @param pattern the pattern, whose literal parts must be glob-escaped
	 * @return the number of keys deleted
	 */
	public CompletionStage<Long> deleteByPattern(String pattern) {
		CompletionStage<Long> deleted = this.client.getKeys().unlinkByPatternAsync(pattern);
		NearAnnouncements current = this.announcements;
		if (current == null) {
			return deleted;
		}
		// After the deletes, never before: a near cache that refilled in between is flushed again.
		return deleted.thenCompose((count) -> this.client.getTopic(current.name(), StringCodec.INSTANCE)
			.publishAsync(NearAnnouncements.clearMessage(System.currentTimeMillis() * 1000, pattern))
			.thenApply((receivers) -> count));
	}

	/**
	 * The client, for the recovery, journal and coordination code that needs more than entries;
	 * reached only through {@link Region#direct()}.
	 * @return the Redisson client
	 */
	public RedissonClient client() {
		return this.client;
	}

	/**
	 * The parts of an entry that do not depend on its version, encoded once for every region a
	 * write goes to. Never modified once built (Redisson only wraps the arrays to send them).
	 */
	public static final class EncodedEntry {

		private final byte[] kind;

		private final byte[] payload;

		private final byte[] ttl;

		private EncodedEntry(byte[] kind, byte[] payload, byte[] ttl) {
			this.kind = kind;
			this.payload = payload;
			this.ttl = ttl;
		}

	}

	/**
	 * One SCAN page of entries.
	 * @param cursor the next cursor, {@code "0"} after the last page
	 * @param entries the keys found, in SCAN order, with their raw entries
	 */
	public record EntryPage(String cursor, Map<String, RawEntry> entries) {
	}

	/**
	 * What a write-if-absent found or did.
	 * @param existing the raw entry already stored, or {@code null} when this one was stored
	 * @param version the version stored, {@code null} when a value was already there
	 */
	public record IfAbsentOutcome(byte @Nullable [] existing, @Nullable Version version) {
	}

	/**
	 * An entry as stored, with its remaining time to live.
	 * @param bytes the stored bytes
	 * @param ttlMillis remaining time to live, {@code 0} for none
	 */
	public record RawEntry(byte[] bytes, long ttlMillis) {

		/**
		 * The version in these bytes' header, read without copying the payload.
		 * @return the version, {@code null} if the bytes are not an entry of this format
		 */
		public @Nullable Version version() {
			return StoredEntry.versionOf(this.bytes);
		}

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
	 * @param repaired whether the key held another Redis type, deleted before the write
	 * @param untrusted whether the key held a stamp too far ahead of the clock, replaced
	 * @param version the version the key holds now
	 */
	public record WriteOutcome(boolean applied, boolean wasPresent, boolean repaired, boolean untrusted, Version version) {

		static WriteOutcome of(List<Object> result) {
			long code = ((Number) result.get(0)).longValue();
			Version version = Version.parse(new String((byte[]) result.get(1), StandardCharsets.UTF_8));
			return new WriteOutcome((code & 2) != 0, (code & 1) != 0, (code & 4) != 0, (code & 8) != 0, version);
		}

	}

}
