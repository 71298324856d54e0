package io.github.resilientcache.test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests of the {@link RedisRegions} extension: one server per region, clean before every test. */
class RedisRegionsTests {

    @RegisterExtension
    static final RedisRegions regions = RedisRegions.named("east", "west");

    /** Ports seen by every repetition: they must never change within the class. */
    private static final Set<String> SEEN_ADDRESSES = new HashSet<>();

    private static Map<String, String> addressesAtStart;

    @BeforeAll
    static void recordAddresses() {
        // Extension callbacks run before @BeforeAll methods, so the regions are already up here.
        addressesAtStart = Map.copyOf(regions.addresses());
    }

    @RepeatedTest(3)
    void everyTestStartsCleanEvenAfterThePreviousOneBrokeEverything() {
        for (String name : regions.names()) {
            EmbeddedRedis server = regions.get(name);
            assertThat(server.isRunning()).as(name + " running").isTrue();
            assertThat(server.isPaused()).as(name + " paused").isFalse();
            assertThat(server.dbSize()).as(name + " empty").isZero();
            SEEN_ADDRESSES.add(regions.address(name));
        }
        assertThat(SEEN_ADDRESSES).hasSize(2);

        regions.get("east").command("SET", "leftover", "1");
        regions.get("east").stop();
        regions.get("west").command("SET", "leftover", "1");
        regions.get("west").pause();
    }

    @RepeatedTest(2)
    void aClientPauseDoesNotLeakIntoTheNextTest() {
        RespClient client = RespClient.connect("127.0.0.1", regions.get("east").port(), Duration.ofSeconds(2));
        assertThat(client.command("PING")).isEqualTo("PONG");
        client.close();

        regions.get("east").clientPause(Duration.ofMinutes(1));
    }

    @Test
    void exposesNamesAddressesAndProperties() {
        assertThat(regions.names()).containsExactly("east", "west");
        assertThat(regions.address("east")).isEqualTo(regions.get("east").address()).startsWith("redis://127.0.0.1:");
        assertThat(regions.addresses()).containsOnlyKeys("east", "west").containsEntry("west", regions.get("west").address());
        assertThat(regions.properties()).containsExactly(
                "resilient-cache.regions.east.address=" + regions.get("east").address(),
                "resilient-cache.regions.west.address=" + regions.get("west").address());
    }

    @Test
    void unknownRegionAndMissingProxiesFailClearly() {
        assertThatThrownBy(() -> regions.get("north")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[east, west]");
        assertThatThrownBy(() -> regions.proxy("east")).isInstanceOf(IllegalStateException.class).hasMessageContaining("withProxies");
    }

    @Test
    void invalidNamesAreRejected() {
        assertThatThrownBy(() -> RedisRegions.named()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisRegions.named("east", "east")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisRegions.named("us east")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisRegions.named("east").get("east")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
    }

    /** A nested class shares the enclosing class's servers instead of starting its own. */
    @Nested
    class NestedTests {

        @Test
        void sharesTheSameServersAndCleanState() {
            assertThat(regions.addresses()).isEqualTo(addressesAtStart);
            assertThat(regions.get("east").isRunning()).isTrue();
            assertThat(regions.get("east").dbSize()).isZero();
        }
    }
}
