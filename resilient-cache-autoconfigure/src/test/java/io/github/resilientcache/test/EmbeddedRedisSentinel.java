package io.github.resilientcache.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A Sentinel-managed Redis on loopback: a primary, one replica and three sentinels ({@code redis-server --sentinel}, quorum 2),
 * every one a real process on a free port, stopped by its own process handle. Sentinel's timings are cut down
 * ({@code down-after-milliseconds} 1000, {@code failover-timeout} 5000) so that a failover takes seconds.
 *
 * <p>Which server is the primary changes with failovers: {@link #primary()} asks the sentinels, as a client does.
 */
public final class EmbeddedRedisSentinel implements AutoCloseable {

    public static final String MASTER_NAME = "payments";
    private static final int QUORUM = 2;
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern SENTINEL_EVENT = Pattern.compile(
            "[+-](sdown|odown|switch-master|failover|try-failover|elected-leader|new-epoch|vote-for-leader|selected-slave|promoted-slave|convert-to-slave|"
                    + "slave-reconf|tilt|reboot|config-update-from|fix-slave-config)");

    private final String name;
    private final List<EmbeddedRedis> servers;
    private final List<EmbeddedRedis> sentinels;

    private EmbeddedRedisSentinel(String name, List<EmbeddedRedis> servers, List<EmbeddedRedis> sentinels) {
        this.name = name;
        this.servers = List.copyOf(servers);
        this.sentinels = List.copyOf(sentinels);
    }

    /** Starts a primary, its replica and three sentinels on the given version's binary, and waits until all agree. */
    public static EmbeddedRedisSentinel start(String name, RedisVersion version) {
        List<EmbeddedRedis> servers = new ArrayList<>();
        List<EmbeddedRedis> sentinels = new ArrayList<>();
        try {
            EmbeddedRedis primary = EmbeddedRedis.start(name + "-a", List.of(), version);
            servers.add(primary);
            servers.add(EmbeddedRedis.start(name + "-b", List.of("replicaof " + EmbeddedRedis.HOST + " " + primary.port()), version));
            List<String> monitor = List.of(
                    "sentinel monitor " + MASTER_NAME + " " + EmbeddedRedis.HOST + " " + primary.port() + " " + QUORUM,
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1");
            List<Supplier<EmbeddedRedis>> starters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String sentinelName = name + "-sentinel-" + i;
                starters.add(() -> EmbeddedRedis.startSentinel(sentinelName, monitor, version));
            }
            sentinels.addAll(Parallel.startAll("redis-sentinel-" + name + "-start", starters));
            EmbeddedRedisSentinel started = new EmbeddedRedisSentinel(name, servers, sentinels);
            started.awaitHealthy();
            return started;
        }
        catch (RuntimeException ex) {
            sentinels.forEach(EmbeddedRedis::close);
            servers.forEach(EmbeddedRedis::close);
            throw ex;
        }
    }

    public String name() {
        return name;
    }

    /** {@code redis://127.0.0.1:<port>} of every sentinel, the addresses a client is configured with. */
    public List<String> sentinelAddresses() {
        return sentinels.stream().map(EmbeddedRedis::address).collect(Collectors.toUnmodifiableList());
    }

    /** The data servers (primary and replica, in start order), whatever their current roles. */
    public List<EmbeddedRedis> servers() {
        return servers;
    }

    /** The server the sentinels currently name as the primary. */
    public EmbeddedRedis primary() {
        return primaryNamed().orElseThrow(() -> new IllegalStateException("No sentinel of '" + name + "' names a primary"));
    }

    /** The properties of a region named {@code region} served by this Sentinel deployment. */
    public List<String> properties(String region) {
        List<String> properties = new ArrayList<>();
        properties.add("resilient-cache.regions." + region + ".sentinel.master-name=" + MASTER_NAME);
        for (int i = 0; i < sentinels.size(); i++) {
            properties.add("resilient-cache.regions." + region + ".sentinel.nodes[" + i + "]=" + sentinels.get(i).address());
        }
        return properties;
    }

    /**
     * Kills the current primary (SIGTERM, no save) and waits until the sentinels promoted the replica and it accepts writes.
     *
     * @return the killed server, stopped; {@link #reset()} starts it again (as a replica of the new primary)
     */
    public EmbeddedRedis killPrimaryAndAwaitPromotion() {
        EmbeddedRedis killed = primary();
        killed.stop();
        try {
            await("Sentinel '" + name + "' to promote a replica").atMost(HEALTHY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .until(() -> primaryNamed().filter(primary -> primary != killed && isMaster(primary)).isPresent());
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("Sentinel '" + name + "' promoted no replica within " + HEALTHY_TIMEOUT.toSeconds() + "s: "
                    + describe(), ex);
        }
        return killed;
    }

    /**
     * Back to a clean deployment between tests: every process running, one primary with its replica in sync, both empty. A stopped
     * server comes back as a replica of the primary the sentinels name, as an operator brings a failed primary back: were it to
     * start as a primary (its original config), the sentinels would for several seconds see an empty second primary, the one
     * state in which they could turn the real primary into its replica and lose its data.
     */
    public void reset() {
        sentinels.forEach(sentinel -> {
            sentinel.resume();
            sentinel.start();
        });
        servers.forEach(EmbeddedRedis::resume);
        if (servers.stream().anyMatch(server -> !server.isRunning())) {
            EmbeddedRedis primary = runningPrimary();
            primary.start();
            servers.stream().filter(server -> server != primary).forEach(server -> server.startAsReplicaOf(primary));
        }
        awaitHealthy();
        primary().flushAll();
        await("the replica of '" + name + "' to be empty").atMost(HEALTHY_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .pollInSameThread()
                .until(() -> servers.stream().allMatch(server -> server.dbSize() == 0));
    }

    /**
     * Waits until every sentinel names the same running primary, sees the other two sentinels and the replica, and the primary
     * has its replica connected and in sync.
     */
    public void awaitHealthy() {
        try {
            await("Sentinel '" + name + "' to be healthy").atMost(HEALTHY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .until(this::isHealthy);
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("Sentinel '" + name + "' was not healthy within " + HEALTHY_TIMEOUT.toSeconds() + "s: "
                    + describe(), ex);
        }
    }

    /** Stops every sentinel and server and removes their directories. Idempotent. */
    @Override
    public void close() {
        sentinels.forEach(EmbeddedRedis::close);
        servers.forEach(EmbeddedRedis::close);
    }

    @Override
    public String toString() {
        return "EmbeddedRedisSentinel[" + name + " sentinels " + sentinelAddresses() + "]";
    }

    private boolean isHealthy() {
        try {
            EmbeddedRedis primary = null;
            for (EmbeddedRedis sentinel : sentinels) {
                Map<String, String> master = fields(sentinel.command("SENTINEL", "MASTER", MASTER_NAME));
                EmbeddedRedis named = serverAt(master.get("port")).orElse(null);
                if (named == null || (primary != null && primary != named) || !"master".equals(master.get("flags"))
                        || !"2".equals(master.get("num-other-sentinels")) || !"1".equals(master.get("num-slaves"))) {
                    return false;
                }
                primary = named;
                for (Object replica : (List<?>) sentinel.command("SENTINEL", "REPLICAS", MASTER_NAME)) {
                    if (!"slave".equals(fields(replica).get("flags"))) {
                        return false;
                    }
                }
            }
            if (primary == null || !isMaster(primary)) {
                return false;
            }
            String replication = (String) primary.command("INFO", "replication");
            return replication.contains("connected_slaves:1") && replication.contains("state=online");
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /**
     * The server that stays primary while the stopped ones come back: a running master that some sentinel names (awaited, since a
     * sentinel that just restarted or answered late may still name the killed server); with every server stopped, the one the
     * sentinels last named, or the first.
     */
    private EmbeddedRedis runningPrimary() {
        if (servers.stream().noneMatch(EmbeddedRedis::isRunning)) {
            return primaryNamed().orElse(servers.get(0));
        }
        try {
            return await("a sentinel of '" + name + "' to name a running primary").atMost(HEALTHY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .until(this::runningPrimaryNamedByAnySentinel, Optional::isPresent)
                    .orElseThrow();
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("No sentinel of '" + name + "' names a running primary within "
                    + HEALTHY_TIMEOUT.toSeconds() + "s, so a stopped server cannot rejoin as its replica: " + describe(), ex);
        }
    }

    private Optional<EmbeddedRedis> runningPrimaryNamedByAnySentinel() {
        return sentinels.stream().map(this::primaryNamedBy).flatMap(Optional::stream).filter(EmbeddedRedisSentinel::isMaster).findFirst();
    }

    private Optional<EmbeddedRedis> primaryNamed() {
        return sentinels.stream().map(this::primaryNamedBy).flatMap(Optional::stream).findFirst();
    }

    /** The server {@code sentinel} names as primary; empty if it is stopped, paused or does not answer. */
    private Optional<EmbeddedRedis> primaryNamedBy(EmbeddedRedis sentinel) {
        if (!sentinel.isRunning() || sentinel.isPaused()) {
            return Optional.empty();
        }
        try {
            List<?> address = (List<?>) sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
            return (address != null && address.size() == 2) ? serverAt(String.valueOf(address.get(1))) : Optional.empty();
        }
        catch (RuntimeException ex) {
            return Optional.empty();
        }
    }

    private Optional<EmbeddedRedis> serverAt(String port) {
        return servers.stream().filter(server -> Integer.toString(server.port()).equals(port)).findFirst();
    }

    private static boolean isMaster(EmbeddedRedis server) {
        try {
            return server.isRunning() && ((String) server.command("INFO", "replication")).contains("role:master");
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private static Map<String, String> fields(Object reply) {
        List<?> list = (List<?>) reply;
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            fields.put(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)));
        }
        return fields;
    }

    private String describe() {
        StringBuilder description = new StringBuilder();
        for (EmbeddedRedis sentinel : sentinels) {
            description.append(System.lineSeparator()).append(sentinel).append(": ");
            try {
                Map<String, String> master = fields(sentinel.command("SENTINEL", "MASTER", MASTER_NAME));
                description.append("primary port ").append(master.get("port")).append(", flags ").append(master.get("flags"))
                        .append(", replicas ").append(master.get("num-slaves")).append(", other sentinels ")
                        .append(master.get("num-other-sentinels"));
            }
            catch (RuntimeException ex) {
                description.append("unreachable (").append(ex.getMessage()).append(')');
            }
        }
        for (EmbeddedRedis server : servers) {
            description.append(System.lineSeparator()).append(server);
        }
        description.append(System.lineSeparator()).append("Sentinel events:");
        events().forEach(event -> description.append(System.lineSeparator()).append("  ").append(event));
        return description.toString();
    }

    /**
     * What the sentinels logged about the health and the roles of the servers (down, failover, switch, conversion, tilt), in each
     * sentinel's order, prefixed with its name: the story behind a topology a test did not expect.
     */
    public List<String> events() {
        List<String> events = new ArrayList<>();
        for (EmbeddedRedis sentinel : sentinels) {
            for (String line : sentinel.logLines()) {
                if (SENTINEL_EVENT.matcher(line).find()) {
                    events.add(sentinel.name() + ": " + line);
                }
            }
        }
        return events;
    }
}
