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
 * output in a log file of its own directory.
 */
final class EmbeddedRedisServer implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final int START_ATTEMPTS = 3;

	private final String region;

	private final int port;

	private final Process process;

	private EmbeddedRedisServer(String region, int port, Process process) {
		this.region = region;
		this.port = port;
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
				return new EmbeddedRedisServer(region, port, process);
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

	@Override
	public void close() {
		stop(this.process);
	}

	private static Process launch(Path binary, Path directory, int port, Path log) {
		List<String> command = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", HOST, "--save", "",
				"--appendonly", "no", "--dir", directory.toString(), "--daemonize", "no");
		try {
			return new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
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
