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
	 * Adds keys unless the hash is full (when full, sets the resync flag): ARGV[1] is the bound, then
	 * key, token pairs. Returns each record's depth, or -1 where it was full, in order. A journal key
	 * of another Redis type (not written by the starter) is replaced, and the resync flag set, since
	 * the records it should have held are lost.
	 */
	private static final String APPEND_ALL = """
			local t = redis.call('TYPE', KEYS[1]).ok
			if t ~= 'hash' and t ~= 'none' then
			  redis.call('UNLINK', KEYS[1])
			  redis.call('SET', KEYS[2], '1')
			end
			local max = tonumber(ARGV[1])
			local out = {}
			for i = 2, #ARGV, 2 do
			  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 0 and redis.call('HLEN', KEYS[1]) >= max then
			    redis.call('SET', KEYS[2], '1')
			    out[#out + 1] = -1
			  else
			    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
			    out[#out + 1] = redis.call('HLEN', KEYS[1])
			  end
			end
			return out
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
	 * Records several keys missed by a target region in a holder region, in one script call.
	 * @param holder the client of the region holding the journal
	 * @param target the region that missed the keys
	 * @param records the records, each a key and its unique token, in the order to write them
	 * @param maxEntries bound of the journal
	 * @return each record's journal depth, or {@code -1} where the journal was full and the resync
	 * flag was set, in the order of the records
	 */
	CompletionStage<List<Long>> appendAll(RedissonClient holder, String target, List<Record> records, int maxEntries) {
		Object[] args = new Object[records.size() * 2 + 1];
		args[0] = Integer.toString(maxEntries);
		int at = 1;
		for (Record record : records) {
			args[at++] = record.key();
			args[at++] = record.token();
		}
		return holder.getScript(StringCodec.INSTANCE).<List<Long>>evalAsync(journalKey(target), RScript.Mode.READ_WRITE, APPEND_ALL,
				RScript.ReturnType.LIST, List.of(journalKey(target), resyncKey(target)), args);
	}

	/**
	 * One record of a journal.
	 * @param key the missed key
	 * @param token unique value of the record
	 */
	record Record(String key, String token) {
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
