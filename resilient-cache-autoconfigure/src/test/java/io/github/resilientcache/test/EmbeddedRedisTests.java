package io.github.resilientcache.test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Tests of {@link EmbeddedRedis}: lifecycle and the faults it can simulate. */
class EmbeddedRedisTests {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start("east");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void cleanServer() {
        redis.reset();
    }

    @Test
    void startsOnLoopbackAndAnswers() {
        assertThat(redis.name()).isEqualTo("east");
        assertThat(redis.address()).isEqualTo("redis://127.0.0.1:" + redis.port());
        assertThat(redis.isRunning()).isTrue();
        assertThat(redis.command("PING")).isEqualTo("PONG");
        assertThat(redis.command("CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
        assertThat(redis.command("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
        assertThat(redis.command("CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.1"));
    }

    @Test
    void stopRefusesConnectionsAndStartComesBackEmptyOnSamePort() {
        int port = redis.port();
        redis.command("SET", "key", "value");

        redis.stop();

        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(() -> RespClient.connect("127.0.0.1", port, Duration.ofSeconds(1)))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class);

        redis.start();

        assertThat(redis.isRunning()).isTrue();
        assertThat(redis.port()).isEqualTo(port);
        try (RespClient client = RespClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
            assertThat(client.command("PING")).isEqualTo("PONG");
            assertThat(client.command("GET", "key")).isNull();
        }
        assertThat(redis.dbSize()).isZero();
    }

    @Test
    void stopAndStartAreIdempotent() {
        redis.stop();
        redis.stop();
        redis.start();
        redis.start();

        assertThat(redis.command("PING")).isEqualTo("PONG");
    }

    @Test
    void pausedServerAcceptsConnectionsButNeverAnswersUntilResumed() {
        redis.pause();

        assertThat(redis.isPaused()).isTrue();
        assertThat(redis.isRunning()).isTrue();
        // The kernel still completes the handshake from the listen backlog, so connecting works; only the reply never comes.
        try (RespClient client = RespClient.connect("127.0.0.1", redis.port(), SHORT_TIMEOUT)) {
            assertThatThrownBy(() -> client.command("PING"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(SocketTimeoutException.class);
        }
        assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(IllegalStateException.class).hasMessageContaining("paused");

        redis.resume();

        assertThat(redis.isPaused()).isFalse();
        assertThat(redis.command("PING")).isEqualTo("PONG");
    }

    @Test
    void commandSentWhilePausedIsAnsweredAfterResume() {
        redis.pause();
        RespClient patient = RespClient.connect("127.0.0.1", redis.port(), Duration.ofSeconds(10));
        CompletableFuture<Object> reply = CompletableFuture.supplyAsync(() -> patient.command("PING"));

        await().during(SHORT_TIMEOUT).atMost(Duration.ofSeconds(2)).until(() -> !reply.isDone());
        redis.resume();

        await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
        assertThat(reply.join()).isEqualTo("PONG");
        patient.close();
    }

    @Test
    void clientPauseHoldsCommandsUntilItExpires() {
        redis.clientPause(Duration.ofMillis(1500));

        try (RespClient client = RespClient.connect("127.0.0.1", redis.port(), SHORT_TIMEOUT)) {
            assertThatThrownBy(() -> client.command("PING")).hasCauseInstanceOf(SocketTimeoutException.class);
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "PONG".equals(ping(SHORT_TIMEOUT)));
    }

    @Test
    void resetEndsAClientPauseWithoutWaitingForIt() {
        redis.clientPause(Duration.ofMinutes(5));

        redis.reset();

        assertThat(ping(SHORT_TIMEOUT)).isEqualTo("PONG");
    }

    @Test
    void restartFromSnapshotBringsBackOnlyTheOlderData() {
        int port = redis.port();
        redis.command("SET", "before", "old");
        redis.saveSnapshot();
        redis.command("SET", "before", "overwritten");
        redis.command("SET", "after", "new");

        redis.restartFromSnapshot();

        assertThat(redis.port()).isEqualTo(port);
        assertThat(redis.command("GET", "before")).isEqualTo("old");
        assertThat(redis.command("GET", "after")).isNull();

        // A plain restart never resurrects the snapshot: no persistence.
        redis.stop();
        redis.start();
        assertThat(redis.dbSize()).isZero();
    }

    @Test
    void restartFromSnapshotWithoutSnapshotFailsClearly() {
        EmbeddedRedis fresh = EmbeddedRedis.start("no-snapshot");
        try {
            assertThatThrownBy(fresh::restartFromSnapshot).isInstanceOf(IllegalStateException.class).hasMessageContaining("saveSnapshot()");
        }
        finally {
            fresh.close();
        }
    }

    @Test
    void closeWhilePausedKillsTheProcessAndRemovesItsDirectory() {
        EmbeddedRedis doomed = EmbeddedRedis.start("doomed");
        long pid = doomed.pid();
        int port = doomed.port();
        doomed.pause();

        doomed.close();
        doomed.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(Files.exists(doomed.directory())).isFalse();
        assertThatThrownBy(() -> RespClient.connect("127.0.0.1", port, Duration.ofSeconds(1))).hasCauseInstanceOf(ConnectException.class);
        assertThatThrownBy(doomed::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void stopWhilePausedStillStops() {
        redis.pause();

        redis.stop();

        assertThat(redis.isRunning()).isFalse();
        assertThat(redis.isPaused()).isFalse();
    }

    @Test
    void extraConfigLinesAreAppliedWithPortPlaceholder() {
        EmbeddedRedis custom = EmbeddedRedis.start("custom", List.of("maxmemory 10mb", "pidfile redis-{port}.pid"));
        try {
            assertThat(custom.command("CONFIG", "GET", "maxmemory")).isEqualTo(List.of("maxmemory", "10485760"));
            assertThat(custom.command("CONFIG", "GET", "pidfile")).isEqualTo(List.of("pidfile", "redis-" + custom.port() + ".pid"));
        }
        finally {
            custom.close();
        }
    }

    private static Object ping(Duration timeout) {
        try (RespClient client = RespClient.connect("127.0.0.1", redis.port(), timeout)) {
            return client.command("PING");
        }
    }
}
