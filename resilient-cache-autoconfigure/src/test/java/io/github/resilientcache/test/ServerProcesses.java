package io.github.resilientcache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/** Process bookkeeping for embedded servers: POSIX signals, and a shutdown hook so no redis-server outlives the JVM. */
final class ServerProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ServerProcesses::killAll, "embedded-redis-reaper"));
    }

    private ServerProcesses() {
    }

    static void register(Process process) {
        LIVE.add(process);
    }

    static void unregister(Process process) {
        LIVE.remove(process);
    }

    static void registerDirectory(Path directory) {
        DIRECTORIES.add(directory);
    }

    static void deleteDirectory(Path directory) {
        DIRECTORIES.remove(directory);
        deleteRecursively(directory);
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}); the JDK can only send TERM and KILL itself. */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid + " did not finish within 10s");
            }
            if (kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes()).trim();
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed (exit " + kill.exitValue() + "): " + output);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run kill -" + signal + " " + pid, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + pid, ex);
        }
    }

    /**
     * Waits until the kernel reports the process as stopped (or not), because signal delivery is asynchronous and a test
     * must not race a command against a pause that has not landed yet. A no-op where /proc is unavailable.
     */
    static void awaitStopped(long pid, boolean stopped, String description) {
        if (state(pid).isEmpty()) {
            return;
        }
        await("Embedded Redis " + description + " to be " + (stopped ? "stopped (SIGSTOP)" : "continued (SIGCONT)"))
                .atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5))
                .pollInSameThread()
                .until(() -> state(pid).map(s -> (s == 'T' || s == 't') == stopped).orElse(true));
    }

    /** The one-letter process state from /proc/[pid]/stat, empty if unknown (no /proc, or the process is gone). */
    private static Optional<Character> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() ? Optional.empty() : Optional.of(stat.charAt(afterName + 2));
        }
        catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
    }

    private static void killAll() {
        // SIGKILL also ends a SIGSTOPped process, so paused servers need no SIGCONT here.
        LIVE.forEach(Process::destroyForcibly);
        for (Process process : LIVE) {
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        DIRECTORIES.forEach(ServerProcesses::deleteRecursively);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException | UncheckedIOException ignored) {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}
