package io.github.resilientcache.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of three masters (no replicas) on loopback, formed without redis-cli: config epochs, {@code CLUSTER MEET},
 * {@code CLUSTER ADDSLOTS}, then an await for {@code cluster_state:ok} on every node.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final int SLOTS = 16384;
    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> NODE_CONFIG = List.of(
            "cluster-enabled yes",
            "cluster-config-file nodes-{port}.conf",
            "cluster-node-timeout 2000");

    private final String name;
    private final List<EmbeddedRedis> nodes;

    private EmbeddedRedisCluster(String name, List<EmbeddedRedis> nodes) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
    }

    /** Starts three cluster-enabled servers in parallel, joins them, assigns all slots and waits until the cluster is ok. */
    public static EmbeddedRedisCluster start(String name) {
        List<EmbeddedRedis> started = startNodes(name);
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(name, started);
        try {
            cluster.form();
            cluster.awaitHealthy();
            return cluster;
        }
        catch (RuntimeException ex) {
            cluster.close();
            throw ex;
        }
    }

    public String name() {
        return name;
    }

    /** {@code redis://127.0.0.1:<port>} of every node, in slot order. */
    public List<String> nodeAddresses() {
        return nodes.stream().map(EmbeddedRedis::address).collect(Collectors.toUnmodifiableList());
    }

    /** The nodes, in slot order (node 0 owns the lowest slots), so tests can stop or pause one. */
    public List<EmbeddedRedis> nodes() {
        return nodes;
    }

    /** The node owning {@code key}'s hash slot. */
    public EmbeddedRedis nodeForKey(String key) {
        long slot = (Long) runningNode().command("CLUSTER", "KEYSLOT", key);
        return nodeForSlot((int) slot);
    }

    /** The node owning {@code slot}, per the fixed split made at formation. */
    public EmbeddedRedis nodeForSlot(int slot) {
        for (int i = 0; i < MASTERS; i++) {
            if (slot <= lastSlot(i)) {
                return nodes.get(i);
            }
        }
        throw new IllegalArgumentException("No such slot: " + slot);
    }

    /** FLUSHALL on every master. */
    public void flushAll() {
        nodes.forEach(EmbeddedRedis::flushAll);
    }

    /**
     * Waits until every node reports {@code cluster_state:ok}, all 16384 slots assigned, and three masters known and not
     * failing, e.g. after restarting a stopped node.
     */
    public void awaitHealthy() {
        try {
            await("Embedded Redis Cluster '" + name + "' to be healthy")
                    .atMost(FORMATION_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .until(() -> nodes.stream().allMatch(EmbeddedRedisCluster::isHealthy));
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("Embedded Redis Cluster '" + name + "' was not healthy within "
                    + FORMATION_TIMEOUT.toSeconds() + "s: " + describeNodes(), ex);
        }
    }

    /** Stops and removes every node. Idempotent. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (EmbeddedRedis node : nodes) {
            try {
                node.close();
            }
            catch (RuntimeException ex) {
                failure = failure == null ? ex : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedisCluster[" + name + " " + nodeAddresses() + "]";
    }

    private static List<EmbeddedRedis> startNodes(String name) {
        List<Supplier<EmbeddedRedis>> starters = IntStream.range(0, MASTERS)
                .<Supplier<EmbeddedRedis>>mapToObj(i -> () -> EmbeddedRedis.start(name + "-" + i, NODE_CONFIG))
                .collect(Collectors.toList());
        return Parallel.startAll("redis-cluster-" + name + "-start", starters);
    }

    private void form() {
        for (int i = 0; i < MASTERS; i++) {
            // Distinct epochs up front, as redis-cli does, so no epoch collision has to be resolved by gossip.
            nodes.get(i).command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        }
        EmbeddedRedis first = nodes.get(0);
        for (EmbeddedRedis node : nodes.subList(1, MASTERS)) {
            first.command("CLUSTER", "MEET", EmbeddedRedis.HOST, Integer.toString(node.port()));
        }
        for (int i = 0; i < MASTERS; i++) {
            // Redis 6.2 has no ADDSLOTSRANGE: list every slot.
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            IntStream.rangeClosed(firstSlot(i), lastSlot(i)).forEach(slot -> command.add(Integer.toString(slot)));
            nodes.get(i).command(command.toArray(String[]::new));
        }
    }

    private static int firstSlot(int node) {
        return node == 0 ? 0 : lastSlot(node - 1) + 1;
    }

    private static int lastSlot(int node) {
        return node == MASTERS - 1 ? SLOTS - 1 : (SLOTS * (node + 1)) / MASTERS - 1;
    }

    private static boolean isHealthy(EmbeddedRedis node) {
        try {
            String info = (String) node.command("CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_assigned:" + SLOTS)
                    || !info.contains("cluster_known_nodes:" + MASTERS)) {
                return false;
            }
            String clusterNodes = (String) node.command("CLUSTER", "NODES");
            long healthyMasters = clusterNodes.lines()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 7 && fields[2].contains("master") && !fields[2].contains("fail")
                            && fields[7].equals("connected"))
                    .count();
            return healthyMasters == MASTERS;
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private EmbeddedRedis runningNode() {
        return nodes.stream()
                .filter(node -> node.isRunning() && !node.isPaused())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No node of cluster '" + name + "' is running"));
    }

    private String describeNodes() {
        StringBuilder description = new StringBuilder();
        for (EmbeddedRedis node : nodes) {
            description.append(System.lineSeparator()).append(node).append(": ");
            try {
                String info = (String) node.command("CLUSTER", "INFO");
                description.append(info.lines()
                        .filter(line -> line.startsWith("cluster_state") || line.startsWith("cluster_slots_assigned")
                                || line.startsWith("cluster_known_nodes") || line.startsWith("cluster_size"))
                        .collect(Collectors.joining(", ")));
            }
            catch (RuntimeException ex) {
                description.append("unreachable (").append(ex.getMessage()).append(')');
            }
        }
        return description.toString();
    }
}
