package io.github.resilientcache.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports for embedded servers.
 *
 * <p>Server ports are drawn below the kernel's ephemeral range: a server must be restartable on the same port, and a port
 * from the ephemeral range could meanwhile be taken as the local port of some outgoing connection. Cluster ports also
 * need {@code port + 10000} (the Redis 6.2 cluster bus port) free and valid.
 */
final class FreePorts {

    static final int CLUSTER_BUS_OFFSET = 10000;
    private static final int LOWEST = 10000;
    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    /** A currently free port for a stand-alone server. */
    static int serverPort() {
        return pick(ephemeralLow(), 0);
    }

    /** A currently free port whose cluster bus port is free too. */
    static int clusterPort() {
        return pick(ephemeralLow() - CLUSTER_BUS_OFFSET, CLUSTER_BUS_OFFSET);
    }

    /** A free port chosen by the kernel, for listeners that are never restarted (proxies). */
    static int ephemeralPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("No free loopback port", ex);
        }
    }

    static boolean allBindable(List<Integer> ports) {
        return ports.stream().allMatch(FreePorts::bindable);
    }

    private static int pick(int upperExclusive, int busOffset) {
        if (upperExclusive - LOWEST < 1000) {
            // Unusual ephemeral range: fall back to a kernel-chosen port (cluster needs the bus port to fit, so retry).
            for (int i = 0; i < ATTEMPTS; i++) {
                int port = ephemeralPort();
                if (port + busOffset <= 65535 && (busOffset == 0 || bindable(port + busOffset))) {
                    return port;
                }
            }
            throw new IllegalStateException("No free loopback port with a free bus port at +" + busOffset);
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, upperExclusive);
            if (bindable(port) && (busOffset == 0 || bindable(port + busOffset))) {
                return port;
            }
        }
        throw new IllegalStateException("No free loopback port in [" + LOWEST + ", " + upperExclusive + ") after " + ATTEMPTS + " attempts");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        }
        catch (IOException | RuntimeException ex) {
            // Linux's default; macOS uses 49152 and up, so this is conservative there too.
            return 32768;
        }
    }
}
