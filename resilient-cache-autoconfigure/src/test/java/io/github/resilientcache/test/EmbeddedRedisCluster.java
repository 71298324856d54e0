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
 * A Redis Cluster of three masters, optionally each with a replica, on loopback, formed without redis-cli: config epochs,
 * {@code CLUSTER MEET}, {@code CLUSTER ADDSLOTS}, {@code CLUSTER REPLICATE}, then an await for {@code cluster_state:ok} on every
 * node. With replicas, a killed master is replaced by its replica (cluster failover), and the killed node, started again,
 * rejoins as a replica of it.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final int SLOTS = 16384;
    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> NODE_CONFIG = List.of(
            "cluster-enabled yes",
            "cluster-config-file nodes-{port}.conf",
            "cluster-node-timeout 2000",
            // A replica takes over however long its link was down: the test decides when a master dies.
            "cluster-replica-validity-factor 0");

    private final String name;
    private final List<EmbeddedRedis> nodes;
    private final int replicas;

    private EmbeddedRedisCluster(String name, List<EmbeddedRedis> nodes, int replicas) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.replicas = replicas;
    }

    /** Starts three cluster-enabled servers in parallel, joins them, assigns all slots and waits until the cluster is ok. */
    public static EmbeddedRedisCluster start(String name) {
        return start(name, RedisVersion.V6_2, false);
    }

    /**
     * Starts three masters, and with {@code withReplicas} one replica of each, on the given version's binary, and waits until
     * the cluster is ok and every replica is attached.
     */
    public static EmbeddedRedisCluster start(String name, RedisVersion version, boolean withReplicas) {
        int replicas = withReplicas ? MASTERS : 0;
        List<EmbeddedRedis> started = startNodes(name, version, MASTERS + replicas);
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(name, started, replicas);
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

    /**
     * The nodes: the three first masters in slot order (node 0 owns the lowest slots at formation), then their replicas, so
     * tests can stop or pause one. Roles change with failovers: see {@link #masters()}.
     */
    public List<EmbeddedRedis> nodes() {
        return nodes;
    }

    /** The running nodes that are masters now. */
    public List<EmbeddedRedis> masters() {
        return nodes.stream().filter(EmbeddedRedisCluster::isMaster).collect(Collectors.toUnmodifiableList());
    }

    /** The node owning {@code key}'s hash slot. */
    public EmbeddedRedis nodeForKey(String key) {
        long slot = (Long) runningNode().command("CLUSTER", "KEYSLOT", key);
        return nodeForSlot((int) slot);
    }

    /** The master owning {@code slot} now, as a running node tells ({@code CLUSTER SLOTS}). */
    public EmbeddedRedis nodeForSlot(int slot) {
        for (Object range : (List<?>) runningNode().command("CLUSTER", "SLOTS")) {
            List<?> fields = (List<?>) range;
            if ((Long) fields.get(0) <= slot && slot <= (Long) fields.get(1)) {
                long port = (Long) ((List<?>) fields.get(2)).get(1);
                return nodes.stream().filter(node -> node.port() == port).findFirst()
                        .orElseThrow(() -> new IllegalStateException("Slot " + slot + " is owned by an unknown node on port " + port));
            }
        }
        throw new IllegalArgumentException("No such slot: " + slot);
    }

    /** The replica of a master, as the master's {@code CLUSTER NODES} tells. */
    public EmbeddedRedis replicaOf(EmbeddedRedis master) {
        String masterId = (String) master.command("CLUSTER", "MYID");
        return ((String) master.command("CLUSTER", "NODES")).lines()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > 3 && fields[2].contains("slave") && fields[3].equals(masterId))
                .map(fields -> Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@'))))
                .flatMap(port -> nodes.stream().filter(node -> node.port() == port))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(master + " has no replica"));
    }

    /** FLUSHALL on every master, then waits until every replica is empty too. */
    public void flushAll() {
        masters().forEach(EmbeddedRedis::flushAll);
        if (replicas > 0) {
            await("the replicas of '" + name + "' to be empty").atMost(FORMATION_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .until(() -> nodes.stream().filter(EmbeddedRedis::isRunning).allMatch(node -> node.dbSize() == 0));
        }
    }

    /**
     * Kills a master (SIGTERM, no save) and waits until its replica took its slots over and the cluster is ok again on the
     * running nodes. Needs a cluster with replicas.
     *
     * @return the new master of the killed one's slots
     */
    public EmbeddedRedis killMasterAndAwaitPromotion(EmbeddedRedis master) {
        if (replicas == 0) {
            throw new IllegalStateException("Cluster '" + name + "' has no replicas: nothing would take the killed master's slots");
        }
        int slot = firstOwnedSlot(master);
        master.stop();
        try {
            await("a replica of " + master + " to be promoted").atMost(FORMATION_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .until(() -> {
                        EmbeddedRedis owner = nodeForSlot(slot);
                        return owner != master && isMaster(owner)
                                && nodes.stream().filter(EmbeddedRedis::isRunning).allMatch(EmbeddedRedisCluster::isClusterOk);
                    });
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("No replica of " + master + " was promoted within " + FORMATION_TIMEOUT.toSeconds() + "s: "
                    + describeNodes(), ex);
        }
        return nodeForSlot(slot);
    }

    /** Back to a clean cluster between tests: every node running (a killed master rejoins as a replica), healthy and empty. */
    public void reset() {
        nodes.forEach(node -> {
            node.resume();
            node.start();
        });
        awaitHealthy();
        flushAll();
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
                    .until(() -> nodes.stream().allMatch(this::isHealthy));
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

    private static List<EmbeddedRedis> startNodes(String name, RedisVersion version, int count) {
        List<Supplier<EmbeddedRedis>> starters = IntStream.range(0, count)
                .<Supplier<EmbeddedRedis>>mapToObj(i -> () -> EmbeddedRedis.start(name + "-" + i, NODE_CONFIG, version))
                .collect(Collectors.toList());
        return Parallel.startAll("redis-cluster-" + name + "-start", starters);
    }

    private void form() {
        for (int i = 0; i < MASTERS; i++) {
            // Distinct epochs up front, as redis-cli does, so no epoch collision has to be resolved by gossip.
            nodes.get(i).command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        }
        EmbeddedRedis first = nodes.get(0);
        for (EmbeddedRedis node : nodes.subList(1, nodes.size())) {
            first.command("CLUSTER", "MEET", EmbeddedRedis.HOST, Integer.toString(node.port()));
        }
        for (int i = 0; i < MASTERS; i++) {
            // Redis 6.2 has no ADDSLOTSRANGE: list every slot.
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            IntStream.rangeClosed(firstSlot(i), lastSlot(i)).forEach(slot -> command.add(Integer.toString(slot)));
            nodes.get(i).command(command.toArray(String[]::new));
        }
        for (int i = 0; i < replicas; i++) {
            EmbeddedRedis replica = nodes.get(MASTERS + i);
            String masterId = (String) nodes.get(i).command("CLUSTER", "MYID");
            // A replica can only follow a node it has learned of through gossip.
            await("node " + replica + " to learn of its master").atMost(FORMATION_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .until(() -> ((String) replica.command("CLUSTER", "NODES")).contains(masterId));
            replica.command("CLUSTER", "REPLICATE", masterId);
        }
    }

    private int firstOwnedSlot(EmbeddedRedis master) {
        for (Object range : (List<?>) runningNode().command("CLUSTER", "SLOTS")) {
            List<?> fields = (List<?>) range;
            if ((Long) ((List<?>) fields.get(2)).get(1) == master.port()) {
                return ((Long) fields.get(0)).intValue();
            }
        }
        throw new IllegalArgumentException(master + " owns no slot");
    }

    private static boolean isMaster(EmbeddedRedis node) {
        try {
            return node.isRunning() && !node.isPaused() && ((String) node.command("INFO", "replication")).contains("role:master");
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private static boolean isClusterOk(EmbeddedRedis node) {
        try {
            return ((String) node.command("CLUSTER", "INFO")).contains("cluster_state:ok");
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private static int firstSlot(int node) {
        return node == 0 ? 0 : lastSlot(node - 1) + 1;
    }

    private static int lastSlot(int node) {
        return node == MASTERS - 1 ? SLOTS - 1 : (SLOTS * (node + 1)) / MASTERS - 1;
    }

    private boolean isHealthy(EmbeddedRedis node) {
        try {
            String info = (String) node.command("CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_assigned:" + SLOTS)
                    || !info.contains("cluster_known_nodes:" + nodes.size())) {
                return false;
            }
            String clusterNodes = (String) node.command("CLUSTER", "NODES");
            long healthyMasters = healthy(clusterNodes, "master");
            long healthyReplicas = healthy(clusterNodes, "slave");
            if (healthyMasters != MASTERS || healthyReplicas != replicas) {
                return false;
            }
            String replication = (String) node.command("INFO", "replication");
            return replication.contains("role:master") || replication.contains("master_link_status:up");
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private static long healthy(String clusterNodes, String role) {
        return clusterNodes.lines()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > 7 && fields[2].contains(role) && !fields[2].contains("fail")
                        && fields[7].equals("connected"))
                .count();
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
