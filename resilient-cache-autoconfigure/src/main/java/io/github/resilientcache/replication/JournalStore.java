package io.github.resilientcache.replication;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.redisson.api.RMap;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Redis side of the replay journal: for each target region, a hash of the keys it missed held in
 * another region ({@code <prefix>:journal:{<target>}}, field = key, value = a unique token) and a
 * resync flag ({@code <prefix>:resync:{<target>}}) set when the hash would grow past its bound.
 * Both carry the same hash tag, so that one script can touch both on a Redis Cluster.
 */
public final class JournalStore {

	/** Adds a key unless the hash is full; when full, sets the resync flag. Returns the depth. */
	private static final String APPEND = """
			if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
			  redis.call('SET', KEYS[2], '1')
			  return -1
			end
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
			return redis.call('HLEN', KEYS[1])
			""";

	/** Removes a key only if it still holds the token read, so that a newer record survives. */
	private static final String REMOVE_IF_SAME = """
			if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
			return 0
			""";

	private final String keyPrefix;

	public JournalStore(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	String journalKey(String target) {
		return this.keyPrefix + ":journal:{" + target + "}";
	}

	String resyncKey(String target) {
		return this.keyPrefix + ":resync:{" + target + "}";
	}

	/**
	 * Records a key missed by a target region in a holder region.
	 * @param holder the client of the region holding the journal
	 * @param target the region that missed the key
	 * @param key the missed key
	 * @param token unique value of this record
	 * @param maxEntries bound of the journal
	 * @return the journal's depth, or {@code -1} when it was full and the resync flag was set
	 */
	CompletionStage<Long> append(RedissonClient holder, String target, String key, String token, int maxEntries) {
		return holder.getScript(StringCodec.INSTANCE).evalAsync(journalKey(target), RScript.Mode.READ_WRITE, APPEND,
				RScript.ReturnType.LONG, List.of(journalKey(target), resyncKey(target)), key, token, Integer.toString(maxEntries));
	}

	/**
	 * A page of journaled keys with their tokens, read with HSCAN.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @param count how many keys at most
	 * @return keys and tokens
	 */
	public Map<String, String> page(RedissonClient holder, String target, int count) {
		RMap<String, String> journal = holder.getMap(journalKey(target), StringCodec.INSTANCE);
		java.util.Map<String, String> page = new java.util.LinkedHashMap<>();
		for (Map.Entry<String, String> entry : journal.entrySet(count)) {
			page.put(entry.getKey(), entry.getValue());
			if (page.size() >= count) {
				break;
			}
		}
		return page;
	}

	/**
	 * Removes a replayed key unless it was journaled again meanwhile.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @param key the key
	 * @param token the token read with the key
	 * @return completion
	 */
	public CompletionStage<Long> removeIfSame(RedissonClient holder, String target, String key, String token) {
		return holder.getScript(StringCodec.INSTANCE).evalAsync(journalKey(target), RScript.Mode.READ_WRITE, REMOVE_IF_SAME,
				RScript.ReturnType.LONG, List.of(journalKey(target)), key, token);
	}

	/**
	 * Number of keys journaled for a target in one holder.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @return the depth
	 */
	public long depth(RedissonClient holder, String target) {
		return holder.getMap(journalKey(target), StringCodec.INSTANCE).size();
	}

	/**
	 * Whether a holder flagged the target for a full resync.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @return whether the flag is set
	 */
	public boolean resyncFlagged(RedissonClient holder, String target) {
		return holder.getBucket(resyncKey(target), StringCodec.INSTANCE).isExists();
	}

	/**
	 * Flags a target for a full resync in a holder region.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @return completion
	 */
	public CompletionStage<Void> flagResync(RedissonClient holder, String target) {
		return holder.<String>getBucket(resyncKey(target), StringCodec.INSTANCE).setAsync("1");
	}

	/**
	 * Drops a target's journal and resync flag in a holder, after a full resync made them moot.
	 * @param holder the holder region's client
	 * @param target the target region
	 */
	public void reset(RedissonClient holder, String target) {
		holder.getKeys().delete(journalKey(target), resyncKey(target));
	}

}
