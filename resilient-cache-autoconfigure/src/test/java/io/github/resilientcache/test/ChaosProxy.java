package io.github.resilientcache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of one server that injects the network faults netem would: latency, a black hole, connection
 * resets and a partition. Mode changes apply at once to existing and new connections.
 *
 * <p>Each connection has two pumps (client to server, server to client), each a reader thread and a writer thread joined by
 * a queue, so a delay is counted from each chunk's arrival and never accumulates. Bytes held by {@link #blackhole()} are
 * delivered, in order, once traffic flows again, as TCP retransmission would after a path heals; this keeps request/reply
 * streams in sync. Threads are daemon, bounded by {@value #MAX_CONNECTIONS} connections, and stopped by {@link #close()}.
 */
public final class ChaosProxy implements AutoCloseable {

    static final int MAX_CONNECTIONS = 256;
    private static final int THREADS_PER_CONNECTION = 4;

    /** What the proxy currently does with traffic. */
    enum Mode { PASS, LATENCY, BLACKHOLE, PARTITION }

    private final String name;
    private final int targetPort;
    private final ServerSocket listener;
    private final ThreadPoolExecutor threads;
    private final Thread acceptor;
    private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
    private final Object modeLock = new Object();

    private Mode mode = Mode.PASS;
    private long latencyNanos;
    private volatile boolean closed;

    private ChaosProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.threads = new ThreadPoolExecutor(0, MAX_CONNECTIONS * THREADS_PER_CONNECTION, 10, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.named("chaos-proxy-" + name));
        this.acceptor = DaemonThreads.named("chaos-proxy-" + name + "-acceptor").newThread(this::acceptLoop);
    }

    /** Starts a proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}, in {@link #pass()} mode. */
    public static ChaosProxy start(String name, int targetPort) {
        try {
            ChaosProxy proxy = new ChaosProxy(name, targetPort);
            proxy.acceptor.start();
            return proxy;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start chaos proxy '" + name + "' for port " + targetPort, ex);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int targetPort() {
        return targetPort;
    }

    /** {@code redis://127.0.0.1:<proxy port>}. */
    public String address() {
        return "redis://" + EmbeddedRedis.HOST + ":" + port();
    }

    /** Forwards traffic untouched; also releases anything held by {@link #blackhole()}. */
    public void pass() {
        setMode(Mode.PASS, 0);
    }

    /** Delays every chunk, in both directions, by {@code delay} from its arrival, keeping order (a round trip gains 2x). */
    public void latency(Duration delay) {
        setMode(delay.isZero() ? Mode.PASS : Mode.LATENCY, delay.toNanos());
    }

    /** A hung path: connections are still accepted and read, but nothing is forwarded or answered until the mode changes. */
    public void blackhole() {
        setMode(Mode.BLACKHOLE, 0);
    }

    /** Resets (RST) every current connection, then passes traffic again. */
    public void resetAll() {
        setMode(Mode.PASS, 0);
        resetConnections();
    }

    /** Resets every current connection and refuses new ones (accept, then RST) until {@link #pass()}. */
    public void partition() {
        setMode(Mode.PARTITION, 0);
        resetConnections();
    }

    /** Number of proxied connections currently open. */
    public int connectionCount() {
        return connections.size();
    }

    /** Stops accepting, resets every connection and stops every thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(listener);
        resetConnections();
        synchronized (modeLock) {
            modeLock.notifyAll();
        }
        threads.shutdownNow();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Chaos proxy '" + name + "' threads did not stop within 5s");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ChaosProxy[" + name + " " + address() + " -> " + targetPort + " " + mode() + "]";
    }

    Mode mode() {
        synchronized (modeLock) {
            return mode;
        }
    }

    /** When a chunk read now may be delivered, at the earliest. */
    long dueTimeForChunkReadNow() {
        synchronized (modeLock) {
            return System.nanoTime() + (mode == Mode.LATENCY ? latencyNanos : 0);
        }
    }

    /**
     * Blocks a writer until its chunk is due and the mode lets traffic through. Returns false if the connection or proxy
     * closed meanwhile. Waits on the mode monitor, so a mode change takes effect immediately.
     */
    boolean awaitDeliverable(long dueNanos, ProxyConnection connection) throws InterruptedException {
        synchronized (modeLock) {
            while (true) {
                if (closed || connection.isClosed()) {
                    return false;
                }
                if (mode == Mode.BLACKHOLE || mode == Mode.PARTITION) {
                    modeLock.wait();
                    continue;
                }
                long remaining = dueNanos - System.nanoTime();
                if (remaining <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(modeLock, remaining);
            }
        }
    }

    /** Blocks while the proxy is a black hole (used when the target cannot be reached). */
    void awaitNotBlackhole() throws InterruptedException {
        synchronized (modeLock) {
            while (!closed && mode == Mode.BLACKHOLE) {
                modeLock.wait();
            }
        }
    }

    /** Wakes writers blocked in {@link #awaitDeliverable} so they notice a closed connection. */
    void connectionClosed(ProxyConnection connection) {
        connections.remove(connection);
        synchronized (modeLock) {
            modeLock.notifyAll();
        }
    }

    void execute(Runnable task) {
        threads.execute(task);
    }

    boolean isClosed() {
        return closed;
    }

    private void setMode(Mode newMode, long newLatencyNanos) {
        synchronized (modeLock) {
            mode = newMode;
            latencyNanos = newLatencyNanos;
            modeLock.notifyAll();
        }
    }

    private void resetConnections() {
        for (ProxyConnection connection : List.copyOf(connections)) {
            connection.reset();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            }
            catch (IOException ex) {
                // The listener is closed by close(); anything else is retried unless we are closing.
                continue;
            }
            if (mode() == Mode.PARTITION || connections.size() >= MAX_CONNECTIONS) {
                ProxyConnection.rst(client);
                continue;
            }
            ProxyConnection connection = new ProxyConnection(this, client, targetPort);
            connections.add(connection);
            try {
                execute(connection::open);
            }
            catch (RejectedExecutionException ex) {
                connection.reset();
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
