package io.github.resilientcache.test;

import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests of {@link RedisRegions#withProxies}: clients go through a proxy per region, reset to pass before every test. */
class RedisRegionsWithProxiesTests {

    @RegisterExtension
    static final RedisRegions regions = RedisRegions.withProxies("east", "west");

    @RepeatedTest(3)
    void everyTestStartsWithPassingProxiesAndCleanServers() {
        for (String name : regions.names()) {
            try (RespClient client = throughProxy(name, Duration.ofSeconds(5))) {
                assertThat(client.command("PING")).isEqualTo("PONG");
                assertThat(client.command("DBSIZE")).isEqualTo(0L);
                client.command("SET", "leftover", "1");
            }
        }

        regions.proxy("east").blackhole();
        regions.proxy("west").partition();
        regions.get("west").stop();
    }

    @Test
    void addressesPointAtTheProxies() {
        ChaosProxy east = regions.proxy("east");
        assertThat(regions.address("east")).isEqualTo(east.address()).isNotEqualTo(regions.get("east").address());
        assertThat(east.targetPort()).isEqualTo(regions.get("east").port());
        assertThat(regions.properties()).contains("resilient-cache.regions.east.address=" + east.address());
    }

    @Test
    void proxyFaultsAffectOnlyItsRegion() {
        regions.proxy("east").blackhole();

        try (RespClient east = throughProxy("east", Duration.ofMillis(300))) {
            assertThatThrownBy(() -> east.command("PING")).hasCauseInstanceOf(SocketTimeoutException.class);
        }
        try (RespClient west = throughProxy("west", Duration.ofSeconds(5))) {
            assertThat(west.command("PING")).isEqualTo("PONG");
        }
        // The server behind the black hole is fine; only the path is broken.
        assertThat(regions.get("east").command("PING")).isEqualTo("PONG");
    }

    private static RespClient throughProxy(String name, Duration timeout) {
        return RespClient.connect("127.0.0.1", regions.proxy(name).port(), timeout);
    }
}
