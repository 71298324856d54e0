package io.github.resilientcache.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Starts several servers at once (each start is mostly waiting), all or nothing. */
final class Parallel {

    private Parallel() {
    }

    /** Runs every starter on its own short-lived daemon thread; if any fails, closes the others and rethrows the first failure. */
    static <T extends AutoCloseable> List<T> startAll(String threadPrefix, List<Supplier<T>> starters) {
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, starters.size()), DaemonThreads.named(threadPrefix));
        try {
            List<CompletableFuture<T>> futures = new ArrayList<>();
            starters.forEach(starter -> futures.add(CompletableFuture.supplyAsync(starter, executor)));
            List<T> started = new ArrayList<>();
            RuntimeException failure = null;
            for (CompletableFuture<T> future : futures) {
                try {
                    started.add(future.join());
                }
                catch (CompletionException ex) {
                    RuntimeException cause = ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
                    failure = failure == null ? cause : failure;
                }
            }
            if (failure != null) {
                started.forEach(Parallel::closeQuietly);
                throw failure;
            }
            return started;
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ignored) {
            // Already failing with the start error, which matters more.
        }
    }
}
