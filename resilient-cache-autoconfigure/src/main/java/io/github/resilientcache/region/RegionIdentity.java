package io.github.resilientcache.region;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodeAsync;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;

/**
 * The run ids of a region's masters. Redis gives a server a new run id at every start, so a changed
 * set means a master restarted (possibly from an older snapshot) or a replica took over (possibly
 * without the last writes): either way the region may hold data older than writes it acknowledged.
 */
public final class RegionIdentity {

	private RegionIdentity() {
	}

	/**
	 * Reads the run ids of the region's masters.
	 * @param client the region's client
	 * @return the run ids; fails if a master does not answer
	 */
	public static CompletableFuture<Set<String>> runIds(RedissonClient client) {
		Config config = client.getConfig();
		Collection<? extends RedisNode> masters;
		if (config.isClusterConfig()) {
			masters = client.getRedisNodes(RedisNodes.CLUSTER).getMasters();
		}
		else if (config.isSentinelConfig()) {
			masters = List.of(client.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster());
		}
		else {
			masters = List.of(client.getRedisNodes(RedisNodes.SINGLE).getInstance());
		}
		List<CompletableFuture<java.util.Map<String, String>>> infos = new ArrayList<>();
		for (RedisNode master : masters) {
			infos.add(((RedisNodeAsync) master).infoAsync(RedisNode.InfoSection.SERVER).toCompletableFuture());
		}
		return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new)).thenApply((v) -> {
			Set<String> ids = new TreeSet<>();
			for (CompletableFuture<java.util.Map<String, String>> info : infos) {
				String id = info.join().get("run_id");
				if (id != null) {
					ids.add(id);
				}
			}
			return ids;
		});
	}

}
