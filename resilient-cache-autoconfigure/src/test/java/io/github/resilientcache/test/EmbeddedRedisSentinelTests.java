package io.github.resilientcache.test;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests of {@link EmbeddedRedisSentinel}: replication, a failover on a killed primary, and the old primary rejoining as replica. */
class EmbeddedRedisSentinelTests {

    private static EmbeddedRedisSentinel sentinel;

    @BeforeAll
    static void startSentinel() {
        sentinel = EmbeddedRedisSentinel.start("sentinel", RedisVersion.V6_2);
    }

    @AfterAll
    static void stopSentinel() {
        sentinel.close();
    }

    @BeforeEach
    void reset() {
        sentinel.reset();
    }

    @Test
    void primaryReplicatesToItsReplica() {
        EmbeddedRedis primary = sentinel.primary();
        EmbeddedRedis replica = sentinel.servers().stream().filter(server -> server != primary).findFirst().orElseThrow();

        primary.command("SET", "k", "v");
        primary.command("WAIT", "1", "5000");

        assertThat(replica.command("GET", "k")).isEqualTo("v");
        assertThat(sentinel.sentinelAddresses()).hasSize(3);
    }

    @Test
    void killedPrimaryIsReplacedByItsReplicaAndRejoinsAsReplica() {
        EmbeddedRedis primary = sentinel.primary();
        primary.command("SET", "k", "v");
        primary.command("WAIT", "1", "5000");

        EmbeddedRedis killed = sentinel.killPrimaryAndAwaitPromotion();

        assertThat(killed).isSameAs(primary);
        assertThat(killed.isRunning()).isFalse();
        EmbeddedRedis promoted = sentinel.primary();
        assertThat(promoted).isNotSameAs(killed);
        assertThat(promoted.command("GET", "k")).isEqualTo("v");
        sentinel.reset();
        assertThat(sentinel.primary()).as(() -> "primary after the killed one rejoined; sentinel events: " + sentinel.events())
                .isSameAs(promoted);
        assertThat((String) killed.command("INFO", "replication")).contains("role:slave");
        promoted.command("SET", "after", "rejoin");
        assertThat(promoted.command("WAIT", "1", "5000")).isEqualTo(1L);
        assertThat(killed.command("GET", "after")).isEqualTo("rejoin");
    }
}
