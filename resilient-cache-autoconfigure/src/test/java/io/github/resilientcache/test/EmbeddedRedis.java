package io.github.resilientcache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * One real redis-server process (the 6.2 binary shipped by embedded-redis, or the system's Redis 7: {@link RedisVersion}) on a loopback port, with the faults a region can
 * suffer: stop/start on the same port, SIGSTOP/SIGCONT freezing, {@code CLIENT PAUSE}, and restart from an older snapshot.
 *
 * <p>Nothing is persisted between runs ({@code save ""}, no AOF, and {@link #start()} discards any dump), so a restart
 * always comes back empty unless {@link #restartFromSnapshot()} is used. All methods are thread-safe.
 */
public final class EmbeddedRedis implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(2);
    private static final int START_ATTEMPTS = 5;
    private static final Pattern CLUSTER_ENABLED = Pattern.compile("(?i)\\s*cluster-enabled\\s+yes\\s*");
    private static final Pattern REPLICA_OF = Pattern.compile("(?i)\\s*(replicaof|slaveof)\\s");
    private static final String DUMP = "dump.rdb";

    private final String name;
    private final int port;
    private final boolean cluster;
    private final RedisVersion version;
    private final List<String> arguments;
    private final Path directory;
    private final Path configFile;
    private final Path logFile;
    private final Path snapshotFile;

    private Process process;
    private boolean paused;
    private long clientPausedUntilNanos;
    private boolean closed;

    private EmbeddedRedis(String name, int port, boolean cluster, List<String> extraConfigLines, RedisVersion version,
            List<String> arguments) {
        this.name = name;
        this.port = port;
        this.cluster = cluster;
        this.version = version;
        this.arguments = List.copyOf(arguments);
        try {
            this.directory = Files.createTempDirectory("resilient-cache-redis-" + safe(name) + "-" + port + "-");
            ServerProcesses.registerDirectory(directory);
            this.configFile = directory.resolve("redis.conf");
            this.logFile = directory.resolve("redis.log");
            this.snapshotFile = directory.resolve("snapshot.rdb");
            Files.write(configFile, config(extraConfigLines), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot prepare the directory of embedded Redis '" + name + "'", ex);
        }
    }

    /** Starts a stand-alone server on a free port and waits until it answers PING. */
    public static EmbeddedRedis start(String name) {
        return start(name, List.of());
    }

    /**
     * Starts a server with extra redis.conf lines appended to the defaults; {@code {port}} in a line is replaced by the
     * server's port (e.g. {@code cluster-config-file nodes-{port}.conf}). With {@code cluster-enabled yes} the port is
     * chosen so that the cluster bus port ({@code port + 10000}) is free too.
     */
    public static EmbeddedRedis start(String name, List<String> extraConfigLines) {
        return start(name, extraConfigLines, RedisVersion.V6_2);
    }

    /** Like {@link #start(String, List)}, on the given server version's binary. */
    public static EmbeddedRedis start(String name, List<String> extraConfigLines, RedisVersion version) {
        return start(name, extraConfigLines, version, List.of());
    }

    /**
     * A Sentinel ({@code redis-server <conf> --sentinel}) with the given sentinel lines; it answers PING like a server, and
     * rewrites its own config file as it learns the topology.
     */
    static EmbeddedRedis startSentinel(String name, List<String> sentinelLines, RedisVersion version) {
        return start(name, sentinelLines, version, List.of("--sentinel"));
    }

    private static EmbeddedRedis start(String name, List<String> extraConfigLines, RedisVersion version, List<String> arguments) {
        boolean cluster = extraConfigLines.stream().anyMatch(line -> CLUSTER_ENABLED.matcher(line).matches());
        for (int attempt = 1; ; attempt++) {
            int port = cluster ? FreePorts.clusterPort() : FreePorts.serverPort();
            EmbeddedRedis redis = new EmbeddedRedis(name, port, cluster, extraConfigLines, version, arguments);
            try {
                synchronized (redis) {
                    redis.launch(false);
                }
                return redis;
            }
            catch (PortInUse ex) {
                redis.close();
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException("Embedded Redis '" + name + "' found no usable port in " + attempt + " attempts", ex);
                }
            }
            catch (RuntimeException ex) {
                redis.close();
                throw ex;
            }
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, the form Redisson and the starter's properties expect. */
    public String address() {
        return "redis://" + HOST + ":" + port;
    }

    /** The Redis version whose binary runs this server. */
    public RedisVersion version() {
        return version;
    }

    /** The OS process id of the running server. */
    public synchronized long pid() {
        requireRunning("pid()");
        return process.pid();
    }

    /** True while the server process is alive, including while it is {@linkplain #pause() paused}. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized boolean isPaused() {
        return paused && isRunning();
    }

    /** Shuts the server down (SIGTERM, no save); new connections are refused until {@link #start()}. Idempotent. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process stopping = process;
        if (paused && stopping.isAlive()) {
            // A stopped process cannot act on SIGTERM; let it run again so it shuts down cleanly.
            ServerProcesses.signal(stopping.pid(), "CONT");
        }
        paused = false;
        clientPausedUntilNanos = 0;
        stopping.destroy();
        try {
            if (!stopping.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException ex) {
            stopping.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        ServerProcesses.unregister(stopping);
        process = null;
    }

    /**
     * Starts the server again on the same port, empty, and waits until it answers PING. Retries a few times if the port is
     * briefly still busy. A no-op if it is already running.
     */
    public synchronized void start() {
        requireOpen();
        if (isRunning()) {
            return;
        }
        stop();
        launchOnSamePort(false);
    }

    /**
     * Starts the server again on the same port, empty, as a replica of {@code primary} ({@code replicaof} written into its config
     * first), and waits until it answers PING. This is how an operator brings a failed Sentinel primary back: it never runs, even
     * for a moment, as a second, empty primary that a sentinel could mistake for the real one. A no-op if it is already running.
     */
    public synchronized void startAsReplicaOf(EmbeddedRedis primary) {
        requireOpen();
        if (isRunning()) {
            return;
        }
        if (primary == this) {
            throw new IllegalArgumentException(describe() + " cannot replicate from itself");
        }
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(configFile, StandardCharsets.UTF_8)) {
                if (!REPLICA_OF.matcher(line).lookingAt()) {
                    lines.add(line);
                }
            }
            lines.add("replicaof " + HOST + " " + primary.port());
            Files.write(configFile, lines, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot point the config of embedded Redis '" + name + "' at its primary", ex);
        }
        stop();
        launchOnSamePort(false);
    }

    /** Freezes the whole process with SIGSTOP: connections still complete in the kernel backlog but nothing answers. */
    public synchronized void pause() {
        requireRunning("pause()");
        if (paused) {
            return;
        }
        ServerProcesses.signal(process.pid(), "STOP");
        ServerProcesses.awaitStopped(process.pid(), true, describe());
        paused = true;
    }

    /** Lets a {@linkplain #pause() paused} server run again (SIGCONT); commands queued meanwhile are then answered. */
    public synchronized void resume() {
        if (!paused || !isRunning()) {
            paused = false;
            return;
        }
        ServerProcesses.signal(process.pid(), "CONT");
        ServerProcesses.awaitStopped(process.pid(), false, describe());
        paused = false;
    }

    /**
     * {@code CLIENT PAUSE <ms> ALL}: the server keeps running but holds every client command until the pause ends. Redis 6.2
     * cannot lift an ALL pause early ({@code CLIENT UNPAUSE} is itself held), so {@link #reset()} restarts a server that may
     * still be client-paused.
     */
    public void clientPause(Duration duration) {
        command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
        synchronized (this) {
            clientPausedUntilNanos = System.nanoTime() + duration.toNanos();
        }
    }

    /** {@code SAVE}, then keeps a copy of the dump as "the older snapshot" for {@link #restartFromSnapshot()}. */
    public synchronized void saveSnapshot() {
        command("SAVE");
        try {
            Files.copy(directory.resolve(DUMP), snapshotFile, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot keep the snapshot of embedded Redis '" + name + "'", ex);
        }
    }

    /** Stops the server and starts it on the same port from the snapshot kept by {@link #saveSnapshot()}: stale data is back. */
    public synchronized void restartFromSnapshot() {
        requireOpen();
        if (!Files.exists(snapshotFile)) {
            throw new IllegalStateException("Embedded Redis '" + name + "' has no snapshot: call saveSnapshot() first");
        }
        stop();
        launchOnSamePort(true);
    }

    /** Runs one command on a short-lived connection; fails fast if the server is paused, since it could only time out. */
    public Object command(String... args) {
        synchronized (this) {
            if (paused) {
                throw new IllegalStateException(describe() + " is paused (SIGSTOP): resume() it before sending " + String.join(" ", args));
            }
        }
        try (RespClient client = RespClient.connect(HOST, port, COMMAND_TIMEOUT)) {
            return client.command(args);
        }
    }

    public void flushAll() {
        command("FLUSHALL");
    }

    public long dbSize() {
        return (Long) command("DBSIZE");
    }

    /**
     * Back to a clean, running, empty server on the same port: resumed if paused, restarted if stopped or possibly still
     * client-paused, then flushed. Used between tests.
     */
    public synchronized void reset() {
        requireOpen();
        if (clientPausedUntilNanos != 0 && System.nanoTime() - clientPausedUntilNanos < 0) {
            stop();
        }
        clientPausedUntilNanos = 0;
        resume();
        start();
        flushAll();
    }

    /** Stops the server (resuming it first if paused) and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        ServerProcesses.deleteDirectory(directory);
    }

    @Override
    public synchronized String toString() {
        String state = closed ? "closed" : isPaused() ? "paused" : isRunning() ? "running" : "stopped";
        return "EmbeddedRedis[" + name + " " + address() + " " + state + "]";
    }

    Path directory() {
        return directory;
    }

    /** Every line this server (or sentinel) logged since it was created, across restarts; empty if it logged nothing yet. */
    List<String> logLines() {
        try {
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList() : List.of();
        }
        catch (IOException ex) {
            return List.of("(no log: " + ex + ")");
        }
    }

    private void launchOnSamePort(boolean fromSnapshot) {
        List<Integer> ports = cluster ? List.of(port, port + FreePorts.CLUSTER_BUS_OFFSET) : List.of(port);
        for (int attempt = 1; ; attempt++) {
            awaitPortsReleased(ports);
            try {
                launch(fromSnapshot);
                return;
            }
            catch (PortInUse ex) {
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException(describe() + " could not restart on port " + port + ": address still in use after "
                            + attempt + " attempts. Log: " + ex.getMessage(), ex);
                }
            }
        }
    }

    private static void awaitPortsReleased(List<Integer> ports) {
        try {
            await().atMost(PORT_RELEASE_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .until(() -> FreePorts.allBindable(ports));
        }
        catch (ConditionTimeoutException ex) {
            // Launch anyway: redis-server's own bind is authoritative and a failure is retried by the caller.
        }
    }

    private void launch(boolean fromSnapshot) {
        Process started;
        long logOffset;
        try {
            Path dump = directory.resolve(DUMP);
            Files.deleteIfExists(dump);
            if (fromSnapshot) {
                Files.copy(snapshotFile, dump);
            }
            logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
            List<String> command = new ArrayList<>(List.of(version.binary().toString(), configFile.toString()));
            command.addAll(arguments);
            started = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot launch redis-server for embedded Redis '" + name + "'", ex);
        }
        ServerProcesses.register(started);
        try {
            await().atMost(START_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .pollInSameThread()
                    .until(() -> {
                        if (!started.isAlive()) {
                            throw new ExitedDuringStartup();
                        }
                        return answersPing();
                    });
        }
        catch (ExitedDuringStartup ex) {
            ServerProcesses.unregister(started);
            String log = logSince(logOffset);
            if (log.contains("Address already in use")) {
                throw new PortInUse(log);
            }
            throw new IllegalStateException(describe() + " exited during startup on port " + port + " (exit code "
                    + started.exitValue() + "). Log: " + log);
        }
        catch (ConditionTimeoutException ex) {
            started.destroyForcibly();
            ServerProcesses.unregister(started);
            throw new IllegalStateException("Embedded Redis '" + name + "' did not start on port " + port + " within "
                    + START_TIMEOUT.toSeconds() + "s. Log: " + logSince(logOffset), ex);
        }
        process = started;
        paused = false;
    }

    private boolean answersPing() {
        try (RespClient client = RespClient.connect(HOST, port, Duration.ofSeconds(1))) {
            return "PONG".equals(client.command("PING"));
        }
        catch (UncheckedIOException | RedisErrorReply ex) {
            // Not listening yet, or still loading the snapshot (-LOADING).
            return false;
        }
    }

    private List<String> config(List<String> extraConfigLines) {
        List<String> lines = new ArrayList<>(List.of(
                "port " + port,
                "bind " + HOST,
                "protected-mode no",
                "daemonize no",
                "save \"\"",
                "appendonly no",
                "dir \"" + directory + "\"",
                "dbfilename " + DUMP,
                "logfile \"\""));
        extraConfigLines.forEach(line -> lines.add(line.replace("{port}", Integer.toString(port))));
        return lines;
    }

    private String logSince(long offset) {
        try {
            byte[] bytes = Files.readAllBytes(logFile);
            int from = (int) Math.min(offset, bytes.length);
            String log = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).strip();
            return log.length() > 2000 ? "..." + log.substring(log.length() - 2000) : log;
        }
        catch (IOException ex) {
            return "(no log: " + ex + ")";
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(describe() + " is closed");
        }
    }

    private void requireRunning(String operation) {
        requireOpen();
        if (!isRunning()) {
            throw new IllegalStateException(describe() + " is not running: start() it before " + operation);
        }
    }

    private String describe() {
        return "Embedded Redis '" + name + "' (port " + port + ")";
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** redis-server died before answering; the caller reads the log to tell why. */
    private static final class ExitedDuringStartup extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ExitedDuringStartup() {
            super(null, null, false, false);
        }
    }

    /** redis-server could not bind its port (or cluster bus port). */
    private static final class PortInUse extends RuntimeException {

        private static final long serialVersionUID = 1L;

        PortInUse(String log) {
            super(log, null, false, false);
        }
    }
}
