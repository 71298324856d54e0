package io.github.resilientcache.sample.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One redis-server process on a free loopback port: no persistence ({@code save ""}, no AOF), its
 * output in a log file of its own directory. It can be failed on purpose, for demos and game days:
 * {@linkplain #stop() stopped} (connections refused), {@linkplain #hang() hung} with SIGSTOP (connections
 * accepted, nothing answered) and {@linkplain #restore() restored} (continued, or restarted empty on the
 * same port, as a Redis without persistence comes back after a crash).
 * <p>
 * Thread-safe: every change of the process is made under the server's lock.
 */
final class EmbeddedRedisServer implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final int START_ATTEMPTS = 3;

	private final String region;

	private final int port;

	private final Path binary;

	private final Path directory;

	private Process process;

	private ServerState state = ServerState.RUNNING;

	private EmbeddedRedisServer(String region, int port, Path binary, Path directory, Process process) {
		this.region = region;
		this.port = port;
		this.binary = binary;
		this.directory = directory;
		this.process = process;
	}

	/**
	 * Starts a server and waits until it answers {@code PING}.
	 * @param region the region the server stands for, for messages
	 * @param binary the redis-server executable
	 * @param directory the server's working directory
	 * @return the running server
	 */
	static EmbeddedRedisServer start(String region, Path binary, Path directory) {
		Path log = directory.resolve("redis-" + region + ".log");
		for (int attempt = 1;; attempt++) {
			// The port is free now but could be taken before redis-server binds it: then try another.
			int port = freePort();
			Process process = launch(binary, directory, port, log);
			try {
				awaitReady(process, port, log);
				return new EmbeddedRedisServer(region, port, binary, directory, process);
			}
			catch (RuntimeException ex) {
				stop(process);
				if (attempt == START_ATTEMPTS || !readLog(log).contains("Address already in use")) {
					throw new IllegalStateException("Embedded Redis of region '" + region + "' did not start: " + ex.getMessage()
							+ System.lineSeparator() + readLog(log), ex);
				}
			}
		}
	}

	/**
	 * Address of the server in the form the starter expects.
	 * @return {@code redis://127.0.0.1:<port>}
	 */
	String address() {
		return "redis://" + HOST + ":" + this.port;
	}

	String region() {
		return this.region;
	}

	synchronized ServerState state() {
		if (this.state != ServerState.STOPPED && !this.process.isAlive()) {
			this.state = ServerState.STOPPED;
		}
		return this.state;
	}

	/**
	 * Stops the server: clients get refused connections until it is {@linkplain #restore() restored}.
	 */
	synchronized void stop() {
		if (this.state == ServerState.HUNG) {
			// A stopped process only acts on SIGTERM once it runs again.
			signal("CONT");
		}
		stop(this.process);
		this.state = ServerState.STOPPED;
	}

	/**
	 * Freezes the server with SIGSTOP: the kernel still accepts connections and buffers commands,
	 * but nothing is answered, like a server stuck in a long command or a dead host behind a
	 * load balancer. The hardest failure for a client: it only shows as timeouts.
	 */
	synchronized void hang() {
		if (state() != ServerState.RUNNING) {
			throw new IllegalStateException("Region '" + this.region + "' is " + this.state + ", not RUNNING: only a running server can hang");
		}
		signal("STOP");
		this.state = ServerState.HUNG;
	}

	/**
	 * Brings the server back: a hung one continues (and answers the commands buffered meanwhile), a
	 * stopped one is started again on the same port, empty. A running one is left alone.
	 */
	synchronized void restore() {
		switch (state()) {
			case HUNG -> signal("CONT");
			case STOPPED -> restart();
			case RUNNING -> {
			}
		}
		this.state = ServerState.RUNNING;
	}

	@Override
	public synchronized void close() {
		if (this.state == ServerState.HUNG && this.process.isAlive()) {
			signal("CONT");
		}
		stop(this.process);
		this.state = ServerState.STOPPED;
	}

	private void restart() {
		Path log = this.directory.resolve("redis-" + this.region + ".log");
		Process restarted = launch(this.binary, this.directory, this.port, log);
		try {
			awaitReady(restarted, this.port, log);
		}
		catch (RuntimeException ex) {
			stop(restarted);
			throw new IllegalStateException("Embedded Redis of region '" + this.region + "' did not restart on port " + this.port + ": "
					+ ex.getMessage() + System.lineSeparator() + readLog(log), ex);
		}
		this.process = restarted;
	}

	private void signal(String signal) {
		long pid = this.process.pid();
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
			if (!kill.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				kill.destroyForcibly();
				throw new IllegalStateException("kill -" + signal + " " + pid + " did not finish");
			}
			if (kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
						+ new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
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

	private static Process launch(Path binary, Path directory, int port, Path log) {
		List<String> command = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", HOST, "--save", "",
				"--appendonly", "no", "--dir", directory.toString(), "--daemonize", "no");
		try {
			return new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + binary, ex);
		}
	}

	private static void awaitReady(Process process, int port, Path log) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!answersPing(port)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("redis-server exited with status " + process.exitValue());
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("no answer to PING within " + START_TIMEOUT.toSeconds() + "s");
			}
			try {
				process.waitFor(20, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while waiting for redis-server", ex);
			}
		}
	}

	private static boolean answersPing(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = in.readNBytes(7);
			return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port for embedded Redis", ex);
		}
	}

	private static String readLog(Path log) {
		try {
			return Files.exists(log) ? Files.readString(log) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

}
