package io.github.resilientcache.test;

import java.nio.file.Path;

/**
 * The Redis server binaries tests run: 6.2 from the embedded-redis jar, and 7 from the system's {@code redis-server} (Debian's
 * package, installed by {@code .ci/run}). Asking for 7 where it is missing skips the test locally and fails it on CI.
 */
public enum RedisVersion {

    /** The redis-server 6.2 binary shipped by embedded-redis. */
    V6_2("6.2") {
        @Override
        public Path binary() {
            return RedisBinary.path();
        }
    },

    /** The system's redis-server 7 or newer. */
    V7("7") {
        @Override
        public Path binary() {
            return SystemRedis.requireRedis7();
        }
    };

    private final String label;

    RedisVersion(String label) {
        this.label = label;
    }

    /** The version as people write it, for figures and messages. */
    public String label() {
        return label;
    }

    /** The redis-server binary of this version. */
    public abstract Path binary();
}
