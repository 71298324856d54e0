package io.github.resilientcache.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests of {@link EmbeddedRedisCluster}: formation, slot routing, node restart. */
class EmbeddedRedisClusterTests {

    private static EmbeddedRedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedRedisCluster.start("cluster");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void cleanCluster() {
        cluster.nodes().forEach(node -> {
            node.resume();
            node.start();
        });
        cluster.awaitHealthy();
        cluster.flushAll();
    }

    @Test
    void everyNodeSeesAHealthyClusterOfThreeMasters() {
        assertThat(cluster.nodes()).hasSize(3);
        assertThat(cluster.nodeAddresses())
                .containsExactlyElementsOf(cluster.nodes().stream().map(EmbeddedRedis::address).toList())
                .allMatch(address -> address.matches("redis://127\\.0\\.0\\.1:\\d+"));
        for (EmbeddedRedis node : cluster.nodes()) {
            String info = (String) node.command("CLUSTER", "INFO");
            assertThat(info).contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_known_nodes:3", "cluster_size:3");
            assertThat(((String) node.command("CLUSTER", "NODES")).lines().filter(line -> line.contains("master")))
                    .hasSize(3);
        }
    }

    @Test
    void keysAreStoredOnTheNodeOwningTheirSlotFollowingMoved() {
        Map<String, EmbeddedRedis> keysByOwner = new LinkedHashMap<>();
        IntStream.range(0, 100).mapToObj(i -> "key-" + i).forEach(key -> keysByOwner.put(key, cluster.nodeForKey(key)));
        assertThat(keysByOwner.values()).containsAll(cluster.nodes());

        EmbeddedRedis entry = cluster.nodes().get(0);
        keysByOwner.keySet().forEach(key -> assertThat(commandFollowingMoved(entry, "SET", key, "v-" + key)).isEqualTo("OK"));

        keysByOwner.forEach((key, owner) -> assertThat(owner.command("GET", key)).isEqualTo("v-" + key));
        long total = cluster.nodes().stream().mapToLong(EmbeddedRedis::dbSize).sum();
        assertThat(total).isEqualTo(keysByOwner.size());
        assertThat(cluster.nodes()).allMatch(node -> node.dbSize() > 0);
    }

    @Test
    void flushAllEmptiesEveryNode() {
        cluster.nodes().forEach(node -> commandFollowingMoved(node, "SET", "k" + node.port(), "v"));

        cluster.flushAll();

        assertThat(cluster.nodes()).allMatch(node -> node.dbSize() == 0);
    }

    @Test
    void stoppedNodeRejoinsOnRestart() {
        EmbeddedRedis node = cluster.nodes().get(1);
        int port = node.port();

        node.stop();
        node.start();
        cluster.awaitHealthy();

        assertThat(node.port()).isEqualTo(port);
        String key = IntStream.range(0, 100).mapToObj(i -> "k" + i).filter(k -> cluster.nodeForKey(k) == node).findFirst().orElseThrow();
        assertThat(node.command("SET", key, "v")).isEqualTo("OK");
    }

    /** Minimal client-side routing: follow -MOVED redirects, as a cluster client does. */
    private static Object commandFollowingMoved(EmbeddedRedis start, String... args) {
        EmbeddedRedis target = start;
        for (int hop = 0; hop < 3; hop++) {
            try {
                return target.command(args);
            }
            catch (RedisErrorReply error) {
                if (!error.code().equals("MOVED")) {
                    throw error;
                }
                int port = Integer.parseInt(error.getMessage().substring(error.getMessage().lastIndexOf(':') + 1));
                target = cluster.nodes().stream().filter(node -> node.port() == port).findFirst().orElseThrow();
            }
        }
        throw new AssertionError("Too many redirects for " + List.of(args));
    }
}
