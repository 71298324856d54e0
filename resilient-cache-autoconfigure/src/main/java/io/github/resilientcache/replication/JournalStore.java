package io.github.resilientcache.replication;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.github.resilientcache.region.KeySpace;
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

	/**
	 * Adds a key unless the hash is full; when full, sets the resync flag. Returns the depth. A
	 * journal key of another Redis type (not written by the starter) is replaced, and the resync
	 * flag set, since the records it should have held are lost.
	 */
	private static final String APPEND = """
			local t = redis.call('TYPE', KEYS[1]).ok
			if t ~= 'hash' and t ~= 'none' then
			  redis.call('UNLINK', KEYS[1])
			  redis.call('SET', KEYS[2], '1')
			end
			if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
			  redis.call('SET', KEYS[2], '1')
			  return -1
			end
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
			return redis.call('HLEN', KEYS[1])
			""";

	/**
	 * Clears the resync flag and sets the journal aside (records written from now on go to a new
	 * one), as a resync from a peer starts.
	 */
	private static final String SET_ASIDE = """
			redis.call('DEL', KEYS[2])
			if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[3]) end
			return redis.call('HLEN', KEYS[3])
			""";

	/** Removes a key only if it still holds the token read, so that a newer record survives. */
	private static final String REMOVE_IF_SAME = """
			if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
			return 0
			""";

	/** REMOVE_IF_SAME for many records of one journal: ARGV holds key, token pairs. */
	private static final String REMOVE_ALL_IF_SAME = """
			local removed = 0
			for i = 1, #ARGV, 2 do
			  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then removed = removed + redis.call('HDEL', KEYS[1], ARGV[i]) end
			end
			return removed
			""";

	private final KeySpace keys;

	public JournalStore(KeySpace keys) {
		this.keys = keys;
	}

	String journalKey(String target) {
		return this.keys.journalKey(target);
	}

	String resyncKey(String target) {
		return this.keys.resyncKey(target);
	}

	public KeySpace keys() {
		return this.keys;
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
		return page(holder.getMap(journalKey(target), StringCodec.INSTANCE), count);
	}

	private static Map<String, String> page(RMap<String, String> journal, int count) {
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
	 * Removes many replayed keys in one call, each unless it was journaled again meanwhile.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @param tokens the keys with the tokens read with them
	 * @return how many were removed
	 */
	public CompletionStage<Long> removeAllIfSame(RedissonClient holder, String target, Map<String, String> tokens) {
		List<Object> args = new java.util.ArrayList<>(tokens.size() * 2);
		tokens.forEach((key, token) -> {
			args.add(key);
			args.add(token);
		});
		return holder.getScript(StringCodec.INSTANCE).evalAsync(journalKey(target), RScript.Mode.READ_WRITE, REMOVE_ALL_IF_SAME,
				RScript.ReturnType.LONG, List.of(journalKey(target)), args.toArray());
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
	 * Clears a target's resync flag and sets its journal aside in a holder, as a resync starts.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @return the number of records set aside
	 */
	public long setAside(RedissonClient holder, String target) {
		String aside = this.keys.setAsideJournalKey(target);
		return holder.getScript(StringCodec.INSTANCE).<Long>eval(aside, RScript.Mode.READ_WRITE, SET_ASIDE, RScript.ReturnType.LONG,
				List.of(journalKey(target), resyncKey(target), aside));
	}

	/**
	 * A page of the records set aside as a resync started.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @param count how many keys at most
	 * @return keys and tokens
	 */
	public Map<String, String> setAsidePage(RedissonClient holder, String target, int count) {
		return page(holder.getMap(this.keys.setAsideJournalKey(target), StringCodec.INSTANCE), count);
	}

	/**
	 * Removes a record set aside.
	 * @param holder the holder region's client
	 * @param target the target region
	 * @param key the record's key
	 * @return completion
	 */
	public CompletionStage<Long> removeSetAside(RedissonClient holder, String target, String key) {
		return holder.getMap(this.keys.setAsideJournalKey(target), StringCodec.INSTANCE).fastRemoveAsync(key);
	}

}
