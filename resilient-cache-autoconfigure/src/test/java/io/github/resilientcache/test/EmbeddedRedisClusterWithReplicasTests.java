package io.github.resilientcache.test;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests of {@link EmbeddedRedisCluster} with replicas: formation, a killed master replaced by its replica, and its return. */
class EmbeddedRedisClusterWithReplicasTests {

    private static EmbeddedRedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedRedisCluster.start("replicated", RedisVersion.V6_2, true);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void reset() {
        cluster.reset();
    }

    @Test
    void everyNodeSeesThreeMastersAndThreeReplicas() {
        assertThat(cluster.nodes()).hasSize(6);
        assertThat(cluster.masters()).hasSize(3);
        for (EmbeddedRedis node : cluster.nodes()) {
            String nodes = (String) node.command("CLUSTER", "NODES");
            assertThat(nodes.lines().filter(line -> line.contains("master"))).hasSize(3);
            assertThat(nodes.lines().filter(line -> line.contains("slave"))).hasSize(3);
        }
    }

    @Test
    void killedMasterIsReplacedByItsReplicaWithItsData() {
        EmbeddedRedis master = cluster.nodeForKey("k");
        master.command("SET", "k", "v");
        master.command("WAIT", "1", "5000");

        EmbeddedRedis promoted = cluster.killMasterAndAwaitPromotion(master);

        assertThat(promoted).isNotSameAs(master);
        assertThat(cluster.nodeForKey("k")).isSameAs(promoted);
        assertThat(promoted.command("GET", "k")).isEqualTo("v");
        cluster.reset();
        assertThat(cluster.masters()).hasSize(3).doesNotContain(master);
        assertThat((String) master.command("INFO", "replication")).contains("role:slave");
        assertThat(List.copyOf(cluster.nodes())).allMatch(EmbeddedRedis::isRunning);
    }
}
