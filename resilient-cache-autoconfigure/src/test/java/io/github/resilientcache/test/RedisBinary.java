package io.github.resilientcache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import redis.embedded.core.ExecutableProvider;

/** The redis-server binary shipped in the embedded-redis jar, extracted once per JVM. */
final class RedisBinary {

    private RedisBinary() {
    }

    static Path path() {
        return Holder.PATH;
    }

    /** Lazy holder: extraction happens on first use, once, thread-safely. */
    private static final class Holder {

        static final Path PATH = extract();

        private static Path extract() {
            try {
                Path directory = Files.createTempDirectory("resilient-cache-redis-bin-");
                ServerProcesses.registerDirectory(directory);
                return ExecutableProvider.newJarResourceProvider(directory.toFile()).get().toPath();
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot extract the redis-server binary from the embedded-redis jar", ex);
            }
        }
    }
}
