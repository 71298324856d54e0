package io.github.resilientcache.test;

import java.util.ArrayList;
import java.util.List;

/**
 * One region's Redis deployment, whatever its topology, for tests that every topology must pass: its properties, raw access to
 * the server holding a key, and the fault all topologies share: the primary of a key dies and something else (a promoted
 * replica, or the same server restarted empty) takes its place, holding less than the primary had acknowledged.
 */
public interface RegionTopology extends AutoCloseable {

    /** A single server. */
    static RegionTopology single(String name, RedisVersion version) {
        return new Single(EmbeddedRedis.start(name, List.of(), version));
    }

    /** A primary, a replica and three sentinels. */
    static RegionTopology sentinel(String name, RedisVersion version) {
        return new Sentinel(EmbeddedRedisSentinel.start(name, version));
    }

    /** A cluster of three masters, each with a replica. */
    static RegionTopology cluster(String name, RedisVersion version) {
        return new Cluster(EmbeddedRedisCluster.start(name, version, true));
    }

    /** What the topology is, for figures and messages. */
    String description();

    /** The properties of a region named {@code region} served by this deployment. */
    List<String> properties(String region);

    /** Runs a command on the server that holds {@code key} now (its primary). */
    Object command(String key, String... args);

    /**
     * Kills the primary holding {@code key} (SIGTERM, no save) and returns once something serves the key again: a promoted
     * replica, or for a single server the same server restarted empty.
     */
    void killPrimaryOf(String key);

    /**
     * Like {@link #killPrimaryOf(String)}, but the replica that takes over is frozen (SIGSTOP) while {@code writes} run, so the
     * primary acknowledges writes its successor never receives: what asynchronous replication loses in a real failover.
     */
    void killPrimaryOfLosingWrites(String key, Runnable writes);

    /** Back to a running, healthy, empty deployment between tests. */
    void reset();

    @Override
    void close();

    /** A single server: its "promotion" is a restart, empty, under a new run id. */
    final class Single implements RegionTopology {

        private final EmbeddedRedis server;

        Single(EmbeddedRedis server) {
            this.server = server;
        }

        @Override
        public String description() {
            return "single server (Redis " + server.version().label() + ")";
        }

        @Override
        public List<String> properties(String region) {
            return List.of("resilient-cache.regions." + region + ".address=" + server.address());
        }

        @Override
        public Object command(String key, String... args) {
            return server.command(args);
        }

        @Override
        public void killPrimaryOf(String key) {
            server.stop();
            server.start();
        }

        @Override
        public void killPrimaryOfLosingWrites(String key, Runnable writes) {
            writes.run();
            killPrimaryOf(key);
        }

        @Override
        public void reset() {
            server.reset();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** Sentinel: the replica is promoted. */
    final class Sentinel implements RegionTopology {

        private final EmbeddedRedisSentinel sentinel;

        Sentinel(EmbeddedRedisSentinel sentinel) {
            this.sentinel = sentinel;
        }

        @Override
        public String description() {
            return "Sentinel, primary + replica + 3 sentinels (Redis " + sentinel.primary().version().label() + ")";
        }

        @Override
        public List<String> properties(String region) {
            return sentinel.properties(region);
        }

        @Override
        public Object command(String key, String... args) {
            return sentinel.primary().command(args);
        }

        @Override
        public void killPrimaryOf(String key) {
            sentinel.killPrimaryAndAwaitPromotion();
        }

        @Override
        public void killPrimaryOfLosingWrites(String key, Runnable writes) {
            EmbeddedRedis primary = sentinel.primary();
            EmbeddedRedis replica = sentinel.servers().stream().filter(server -> server != primary).findFirst().orElseThrow();
            replica.pause();
            try {
                writes.run();
            }
            finally {
                primary.stop();
                replica.resume();
            }
            sentinel.killPrimaryAndAwaitPromotion();
        }

        @Override
        public void reset() {
            sentinel.reset();
        }

        @Override
        public void close() {
            sentinel.close();
        }
    }

    /** Cluster: the killed master's replica takes its slots over. */
    final class Cluster implements RegionTopology {

        private final EmbeddedRedisCluster cluster;

        Cluster(EmbeddedRedisCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public String description() {
            return "Cluster, 3 masters + 3 replicas (Redis " + cluster.nodes().get(0).version().label() + ")";
        }

        @Override
        public List<String> properties(String region) {
            List<String> properties = new ArrayList<>();
            List<String> nodes = cluster.nodeAddresses();
            for (int i = 0; i < nodes.size(); i++) {
                properties.add("resilient-cache.regions." + region + ".cluster-nodes[" + i + "]=" + nodes.get(i));
            }
            return properties;
        }

        @Override
        public Object command(String key, String... args) {
            return cluster.nodeForKey(key).command(args);
        }

        @Override
        public void killPrimaryOf(String key) {
            cluster.killMasterAndAwaitPromotion(cluster.nodeForKey(key));
        }

        @Override
        public void killPrimaryOfLosingWrites(String key, Runnable writes) {
            EmbeddedRedis master = cluster.nodeForKey(key);
            EmbeddedRedis replica = cluster.replicaOf(master);
            replica.pause();
            try {
                writes.run();
            }
            finally {
                master.stop();
                replica.resume();
            }
            cluster.killMasterAndAwaitPromotion(master);
        }

        @Override
        public void reset() {
            cluster.reset();
        }

        @Override
        public void close() {
            cluster.close();
        }
    }
}
