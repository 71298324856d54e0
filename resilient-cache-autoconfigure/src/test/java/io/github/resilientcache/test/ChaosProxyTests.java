package io.github.resilientcache.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Tests of {@link ChaosProxy}'s network faults in front of a real server. */
class ChaosProxyTests {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(10);

    private static EmbeddedRedis redis;
    private ChaosProxy proxy;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start("proxied");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startProxy() {
        redis.reset();
        proxy = ChaosProxy.start("test", redis.port());
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void passForwardsBothWays() {
        assertThat(proxy.address()).isEqualTo("redis://127.0.0.1:" + proxy.port());
        assertThat(proxy.targetPort()).isEqualTo(redis.port());
        try (RespClient client = connect(LONG_TIMEOUT)) {
            assertThat(client.command("SET", "k", "v")).isEqualTo("OK");
            assertThat(client.command("GET", "k")).isEqualTo("v");
        }
        assertThat(redis.command("GET", "k")).isEqualTo("v");
    }

    @Test
    void latencyDelaysEachDirection() {
        Duration delay = Duration.ofMillis(150);
        try (RespClient client = connect(LONG_TIMEOUT)) {
            client.command("PING");
            proxy.latency(delay);

            long start = System.nanoTime();
            assertThat(client.command("PING")).isEqualTo("PONG");
            Duration roundTrip = Duration.ofNanos(System.nanoTime() - start);

            // Request and reply are each delayed.
            assertThat(roundTrip).isGreaterThanOrEqualTo(delay.multipliedBy(2));

            proxy.pass();
            start = System.nanoTime();
            client.command("PING");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(delay.multipliedBy(2));
        }
    }

    @Test
    void latencyKeepsPipelinedRepliesInOrderWithoutAccumulating() throws IOException {
        Duration delay = Duration.ofMillis(200);
        int commands = 20;
        proxy.latency(delay);
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout((int) LONG_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < commands; i++) {
                // Separate writes, so the proxy sees (mostly) separate chunks.
                out.write("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            for (int i = 1; i <= commands; i++) {
                assertThat(in.readLine()).isEqualTo(":" + i);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(elapsed).isGreaterThanOrEqualTo(delay.multipliedBy(2));
            // Delays run concurrently per chunk; serialised delays would take commands x 2 x delay.
            assertThat(elapsed).isLessThan(delay.multipliedBy(commands));
        }
    }

    @Test
    void blackholeHangsExistingAndNewConnections() {
        try (RespClient existing = connect(SHORT_TIMEOUT)) {
            existing.command("PING");
            proxy.blackhole();

            assertThatThrownBy(() -> existing.command("PING")).hasCauseInstanceOf(SocketTimeoutException.class);
        }
        try (RespClient fresh = connect(SHORT_TIMEOUT)) {
            assertThatThrownBy(() -> fresh.command("PING")).hasCauseInstanceOf(SocketTimeoutException.class);
        }

        proxy.pass();

        try (RespClient client = connect(LONG_TIMEOUT)) {
            assertThat(client.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void blackholedBytesAreDeliveredWhenThePathHeals() {
        proxy.blackhole();
        RespClient patient = connect(LONG_TIMEOUT);
        CompletableFuture<Object> reply = CompletableFuture.supplyAsync(() -> patient.command("SET", "held", "1"));

        await().during(SHORT_TIMEOUT).atMost(Duration.ofSeconds(2)).until(() -> !reply.isDone());
        assertThat(redis.command("GET", "held")).isNull();
        proxy.pass();

        await().atMost(LONG_TIMEOUT).until(reply::isDone);
        assertThat(reply.join()).isEqualTo("OK");
        assertThat(patient.command("GET", "held")).isEqualTo("1");
        patient.close();
    }

    @Test
    void blackholeHangsEvenWhenTheTargetIsDown() {
        redis.stop();
        proxy.blackhole();

        try (RespClient client = connect(SHORT_TIMEOUT)) {
            assertThatThrownBy(() -> client.command("PING")).hasCauseInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void partitionFailsConnectionsUntilPass() {
        RespClient existing = connect(LONG_TIMEOUT);
        existing.command("PING");

        proxy.partition();

        assertThatThrownBy(() -> existing.command("PING")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> connect(LONG_TIMEOUT).command("PING"))
                .isInstanceOf(UncheckedIOException.class)
                .cause().isNotInstanceOf(SocketTimeoutException.class);

        proxy.pass();

        try (RespClient client = connect(LONG_TIMEOUT)) {
            assertThat(client.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void resetAllBreaksExistingConnectionsOnly() {
        RespClient existing = connect(LONG_TIMEOUT);
        existing.command("PING");
        await().atMost(LONG_TIMEOUT).until(() -> proxy.connectionCount() == 1);

        proxy.resetAll();

        assertThatThrownBy(() -> existing.command("PING"))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
        try (RespClient client = connect(LONG_TIMEOUT)) {
            assertThat(client.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void targetDownMeansConnectionFailsFast() {
        redis.stop();

        assertThatThrownBy(() -> connect(LONG_TIMEOUT).command("PING"))
                .isInstanceOf(UncheckedIOException.class)
                .cause().isNotInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void serverStopClosesProxiedConnection() {
        RespClient existing = connect(LONG_TIMEOUT);
        existing.command("PING");

        redis.stop();

        assertThatThrownBy(() -> existing.command("PING")).isInstanceOf(UncheckedIOException.class);
        await().atMost(LONG_TIMEOUT).until(() -> proxy.connectionCount() == 0);
    }

    @Test
    void closeRefusesConnectionsAndStopsItsThreads() {
        try (RespClient client = connect(LONG_TIMEOUT)) {
            client.command("PING");
            proxy.close();
            assertThatThrownBy(() -> client.command("PING")).isInstanceOf(UncheckedIOException.class);
        }

        assertThatThrownBy(() -> connect(Duration.ofSeconds(1))).hasCauseInstanceOf(ConnectException.class);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().startsWith("chaos-proxy-test-") && thread.isAlive());
    }

    private RespClient connect(Duration timeout) {
        return RespClient.connect("127.0.0.1", proxy.port(), timeout);
    }
}
