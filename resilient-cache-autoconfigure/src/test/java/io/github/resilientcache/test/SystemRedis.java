package io.github.resilientcache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A Redis 7 server from the system's {@code redis-server} (Debian's package; {@code .ci/run}
 * installs it), started by a test with TLS and ACL users: TLS on {@link #tlsPort()}, and a plain
 * port on loopback for the test's own admin commands. Stopped by its own process, never by name.
 */
public final class SystemRedis implements AutoCloseable {

    /** The admin user of the test's own commands (plain port). */
    public static final String ADMIN = "admin";

    public static final String ADMIN_PASSWORD = "admin-password";

    private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.");

    private final Path binary;

    private Process process;

    private final int port;

    private final int tlsPort;

    private final Path directory;

    private SystemRedis(Path binary, int port, int tlsPort, Path directory) {
        this.binary = binary;
        this.port = port;
        this.tlsPort = tlsPort;
        this.directory = directory;
    }

    /**
     * The system's redis-server if it is version 7 or newer; a test calling this is skipped, with a
     * message saying how to install it, when it is missing locally, and fails on CI ({@code CI} set).
     * @return the binary
     */
    public static Path requireRedis7() {
        Optional<Path> binary = find();
        if (binary.isEmpty()) {
            String message = "redis-server 7 or newer is not installed (Debian: apt-get install -y redis-server; .ci/run installs it)";
            if (System.getenv("CI") != null) {
                Assertions.fail(message + ": CI requires it");
            }
            Assumptions.abort(message + ": skipping this test locally");
        }
        return binary.get();
    }

    private static volatile Optional<Path> found;

    private static Optional<Path> find() {
        Optional<Path> known = found;
        if (known == null) {
            known = search();
            found = known;
        }
        return known;
    }

    private static Optional<Path> search() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate) && major(candidate) >= 7) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static int major(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            Matcher matcher = VERSION.matcher(output);
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        }
        catch (IOException ex) {
            return 0;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Starts a server with TLS (certificates of the given CA; clients need no certificate) and the
     * given ACL user lines besides the admin; the default user is off.
     * @param binary the redis-server binary
     * @param directory the server's directory
     * @param certificates the test CA and server certificate
     * @param users ACL lines such as {@code user app on >pw ~app:* +get}
     * @return the running server
     */
    public static SystemRedis startTls(Path binary, Path directory, TestCertificates certificates, List<String> users) {
        int port = FreePorts.serverPort();
        int tlsPort = FreePorts.serverPort();
        StringBuilder config = new StringBuilder();
        config.append("bind 127.0.0.1\nport ").append(port).append("\ntls-port ").append(tlsPort).append('\n')
            .append("tls-cert-file ").append(certificates.serverCertificatePem()).append('\n')
            .append("tls-key-file ").append(certificates.serverKeyPem()).append('\n')
            .append("tls-ca-cert-file ").append(certificates.caPem()).append('\n')
            .append("tls-auth-clients no\nsave \"\"\nappendonly no\ndir ").append(directory).append('\n')
            .append("logfile ").append(directory.resolve("redis.log")).append('\n')
            .append("user default off\n")
            .append("user ").append(ADMIN).append(" on >").append(ADMIN_PASSWORD).append(" ~* &* +@all\n");
        users.forEach((user) -> config.append(user).append('\n'));
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("redis.conf"), config);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        SystemRedis server = new SystemRedis(binary, port, tlsPort, directory);
        server.start();
        return server;
    }

    /** Starts the server (again, after {@link #close()}), on the same ports, empty. */
    public void start() {
        try {
            Files.deleteIfExists(this.directory.resolve("redis.log"));
            Process started = new ProcessBuilder(this.binary.toString(), this.directory.resolve("redis.conf").toString()).redirectErrorStream(true)
                .redirectOutput(this.directory.resolve("stdout.log").toFile()).start();
            ServerProcesses.register(started);
            this.process = started;
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException("redis-server exited: " + log());
                }
                return log().contains("Ready to accept connections");
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public int tlsPort() {
        return this.tlsPort;
    }

    /**
     * Runs a command as the admin on the plain port.
     * @param args the command
     * @return the reply
     */
    public Object admin(String... args) {
        try (RespClient client = RespClient.connect("127.0.0.1", this.port, Duration.ofSeconds(5))) {
            client.command("AUTH", ADMIN, ADMIN_PASSWORD);
            return client.command(args);
        }
    }

    /**
     * Runs a command as another user on the plain port.
     * @param user the user
     * @param password its password
     * @param args the command
     * @return the reply, or the error reply
     */
    public Object as(String user, String password, String... args) {
        try (RespClient client = RespClient.connect("127.0.0.1", this.port, Duration.ofSeconds(5))) {
            client.command("AUTH", user, password);
            return client.command(args);
        }
        catch (RuntimeException ex) {
            return ex.getMessage();
        }
    }

    private String log() {
        try {
            Path log = this.directory.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : "";
        }
        catch (IOException ex) {
            return "";
        }
    }

    /** Stops the server (its own process). */
    @Override
    public void close() {
        this.process.destroy();
        try {
            if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        ServerProcesses.unregister(this.process);
    }

}
