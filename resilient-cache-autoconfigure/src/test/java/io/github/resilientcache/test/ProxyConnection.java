package io.github.resilientcache.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

/** One client connection through a {@link ChaosProxy}: the upstream socket and the two pumps between them. */
final class ProxyConnection {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final int CHUNK_SIZE = 16 * 1024;

    private final ChaosProxy proxy;
    private final Socket client;
    private final int targetPort;
    private volatile boolean closed;
    private Socket upstream;
    private Pump toServer;
    private Pump toClient;

    ProxyConnection(ChaosProxy proxy, Socket client, int targetPort) {
        this.proxy = proxy;
        this.client = client;
        this.targetPort = targetPort;
    }

    /** Connects upstream and starts the pumps; runs on a proxy thread so a slow connect never blocks accepting. */
    void open() {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(EmbeddedRedis.HOST, targetPort), CONNECT_TIMEOUT_MILLIS);
        }
        catch (IOException ex) {
            rst(server);
            holdWhileBlackhole();
            reset();
            return;
        }
        Pump up;
        Pump down;
        synchronized (this) {
            if (closed) {
                // reset() ran during the connect and could not see this socket.
                rst(server);
                return;
            }
            upstream = server;
            try {
                up = new Pump(client, server);
                down = new Pump(server, client);
            }
            catch (IOException ex) {
                up = null;
                down = null;
            }
            toServer = up;
            toClient = down;
        }
        if (up == null || proxy.mode() == ChaosProxy.Mode.PARTITION) {
            // A partition() may have missed this connection while it was being set up.
            reset();
            return;
        }
        try {
            proxy.execute(up::read);
            proxy.execute(up::write);
            proxy.execute(down::read);
        }
        catch (RejectedExecutionException ex) {
            reset();
            return;
        }
        down.write();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes both sides abruptly: the peers see a connection reset (RST), not an orderly close. */
    void reset() {
        shutDown(true);
    }

    /** Closes both sides with FIN, after an orderly end of stream from one peer has been delivered. */
    private void closeGracefully() {
        shutDown(false);
    }

    private void shutDown(boolean abort) {
        Socket server;
        Pump up;
        Pump down;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            server = upstream;
            up = toServer;
            down = toClient;
        }
        for (Socket socket : new Socket[] {client, server}) {
            if (socket != null) {
                if (abort) {
                    rst(socket);
                }
                else {
                    closeQuietly(socket);
                }
            }
        }
        if (up != null) {
            up.stop();
            down.stop();
        }
        proxy.connectionClosed(this);
    }

    private void holdWhileBlackhole() {
        try {
            // A black-holed path must hang, not fail fast, even when the target itself is down.
            proxy.awaitNotBlackhole();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static void rst(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        }
        catch (IOException ignored) {
            // Already closed: nothing left to reset.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // Closing anyway.
        }
    }

    /** One direction: a reader stamping chunks with their due time, and a writer delivering them when due and allowed. */
    private final class Pump {

        private final InputStream in;
        private final OutputStream out;
        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private long lastDueNanos = Long.MIN_VALUE;

        Pump(Socket from, Socket to) throws IOException {
            this.in = from.getInputStream();
            this.out = to.getOutputStream();
        }

        void read() {
            byte[] buffer = new byte[CHUNK_SIZE];
            try {
                while (!closed) {
                    int count = in.read(buffer);
                    queue.add(count < 0 ? new Chunk(null, due()) : new Chunk(Arrays.copyOf(buffer, count), due()));
                    if (count < 0) {
                        return;
                    }
                }
            }
            catch (IOException ex) {
                // The peer reset or we closed the socket: propagate the abort to the other side.
                reset();
            }
        }

        void write() {
            try {
                while (!closed) {
                    Chunk chunk = queue.take();
                    if (chunk == Chunk.STOP || !proxy.awaitDeliverable(chunk.dueNanos(), ProxyConnection.this)) {
                        return;
                    }
                    if (chunk.data() == null) {
                        closeGracefully();
                        return;
                    }
                    out.write(chunk.data());
                    out.flush();
                }
            }
            catch (IOException ex) {
                reset();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                reset();
            }
        }

        void stop() {
            queue.add(Chunk.STOP);
        }

        /** Due times never go backwards, so lowering the latency cannot reorder bytes. */
        private long due() {
            long due = proxy.dueTimeForChunkReadNow();
            if (lastDueNanos != Long.MIN_VALUE && due - lastDueNanos < 0) {
                due = lastDueNanos;
            }
            lastDueNanos = due;
            return due;
        }
    }

    /** Bytes read from one peer, or end of stream when {@code data} is null. */
    private record Chunk(byte[] data, long dueNanos) {

        static final Chunk STOP = new Chunk(new byte[0], 0);
    }
}
