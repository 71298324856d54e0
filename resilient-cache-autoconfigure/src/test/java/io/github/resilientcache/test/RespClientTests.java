package io.github.resilientcache.test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests of {@link RespClient} against a real server. */
class RespClientTests {

    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start("resp");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
    }

    @Test
    void mapsEveryReplyType() {
        try (RespClient client = connect()) {
            assertThat(client.command("PING")).isEqualTo("PONG");
            assertThat(client.command("SET", "k", "v")).isEqualTo("OK");
            assertThat(client.command("GET", "k")).isEqualTo("v");
            assertThat(client.command("GET", "missing")).isNull();
            assertThat(client.command("INCR", "counter")).isEqualTo(1L);
            assertThat(client.command("RPUSH", "list", "a", "b", "")).isEqualTo(3L);
            assertThat(client.command("LRANGE", "list", "0", "-1")).isEqualTo(List.of("a", "b", ""));
            assertThat(client.command("LRANGE", "none", "0", "-1")).isEqualTo(List.of());
        }
    }

    @Test
    void errorReplyIsThrownAndConnectionStaysUsable() {
        try (RespClient client = connect()) {
            assertThatThrownBy(() -> client.command("NOPE"))
                    .isInstanceOf(RedisErrorReply.class)
                    .hasMessageContaining("unknown command")
                    .extracting(ex -> ((RedisErrorReply) ex).code()).isEqualTo("ERR");
            assertThat(client.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void errorInsideArrayIsReturnedAsElement() {
        try (RespClient client = connect()) {
            client.command("SET", "s", "text");
            client.command("MULTI");
            client.command("INCR", "s");
            client.command("GET", "s");
            List<?> results = (List<?>) client.command("EXEC");
            assertThat(results.get(0)).isInstanceOf(RedisErrorReply.class);
            assertThat(results.get(1)).isEqualTo("text");
        }
    }

    @Test
    void utf8AndBinaryValuesRoundTrip() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        try (RespClient client = connect()) {
            client.command("SET", "utf8", "héllo ✓ 世界\r\n");
            assertThat(client.command("GET", "utf8")).isEqualTo("héllo ✓ 世界\r\n");

            client.commandBytes(bytes("SET"), bytes("bin"), allBytes);
            assertThat(client.commandBytes(bytes("GET"), bytes("bin"))).isEqualTo(allBytes);
            assertThat(client.commandBytes(bytes("PING"))).isEqualTo("PONG");
        }
    }

    @Test
    void connectionRefusedIsReportedWithTarget() {
        EmbeddedRedis stopped = EmbeddedRedis.start("resp-refused");
        int port = stopped.port();
        stopped.close();

        assertThatThrownBy(() -> RespClient.connect("127.0.0.1", port, Duration.ofSeconds(1)))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void closedClientRejectsCommands() {
        RespClient client = connect();
        client.close();

        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.command("PING")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static RespClient connect() {
        return RespClient.connect("127.0.0.1", redis.port(), Duration.ofSeconds(5));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
