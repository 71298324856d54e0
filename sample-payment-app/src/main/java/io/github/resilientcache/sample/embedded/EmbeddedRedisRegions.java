package io.github.resilientcache.sample.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * The embedded Redis servers of all regions, one per region, sharing a temporary directory that
 * holds the redis-server binary (taken from the embedded-redis jar) and the servers' logs.
 * <p>
 * Stopped by {@link #close()}, which the application context calls when it closes (after the
 * cache's clients are shut down, since this bean is created before them). A JVM shutdown hook is
 * the last resort: it closes the context it is attached to, so that the usual order is kept even
 * when nothing else closes it, then stops the servers.
 */
public final class EmbeddedRedisRegions implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisRegions.class);

	private final Path directory;

	private final List<EmbeddedRedisServer> servers;

	private final Thread shutdownHook = new Thread(this::closeOnShutdown, "embedded-redis-shutdown");

	private volatile @Nullable ConfigurableApplicationContext context;

	private boolean closed;

	private volatile @Nullable Path sharedFile;

	private EmbeddedRedisRegions(Path directory, List<EmbeddedRedisServer> servers) {
		this.directory = directory;
		this.servers = servers;
	}

	/**
	 * Starts one server per region, in order.
	 * @param regions the region names
	 * @param startupLog where to log each region's address (logging is not initialized yet)
	 * @return the running servers
	 */
	static EmbeddedRedisRegions start(List<String> regions, Log startupLog) {
		Path directory = createDirectory();
		List<EmbeddedRedisServer> servers = new ArrayList<>();
		try {
			Path binary = ExecutableProvider.newJarResourceProvider(directory.toFile()).get().toPath();
			for (String region : regions) {
				EmbeddedRedisServer server = EmbeddedRedisServer.start(region, binary, directory);
				servers.add(server);
				startupLog.info("Started embedded Redis for region '" + region + "' at " + server.address());
			}
		}
		catch (IOException | RuntimeException ex) {
			servers.forEach(EmbeddedRedisServer::close);
			FileSystemUtils.deleteRecursively(directory.toFile());
			throw (ex instanceof IOException io) ? new UncheckedIOException("Cannot extract the redis-server binary", io)
					: (RuntimeException) ex;
		}
		EmbeddedRedisRegions started = new EmbeddedRedisRegions(directory, servers);
		Runtime.getRuntime().addShutdownHook(started.shutdownHook);
		return started;
	}

	/**
	 * The starter's properties that point every region at its server.
	 * @param localRegion the region this instance runs in
	 * @return the properties
	 */
	Map<String, Object> cacheProperties(String localRegion) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("resilient-cache.local-region", localRegion);
		this.servers.forEach((server) -> properties.put("resilient-cache.regions." + server.region() + ".address", server.address()));
		return properties;
	}

	/**
	 * Writes the regions' addresses as properties to a file, so that a second instance of the sample
	 * ({@code second} profile) joins these servers; the file is deleted when the servers stop.
	 * @param file where to write
	 */
	void share(Path file) {
		StringBuilder properties = new StringBuilder("# Written by the sample instance that runs the embedded Redis servers; deleted when it stops.\n");
		this.servers.forEach((server) -> properties.append("resilient-cache.regions.").append(server.region()).append(".address=")
			.append(server.address()).append('\n'));
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, properties);
			this.sharedFile = file;
		}
		catch (IOException ex) {
			logger.warn("Could not write the regions' addresses to " + file + ": a second instance cannot join", ex);
		}
	}

	/**
	 * Names of the regions, in the order their servers were started.
	 * @return the region names
	 */
	public List<String> regions() {
		return this.servers.stream().map(EmbeddedRedisServer::region).toList();
	}

	/**
	 * What the region's server is doing.
	 * @param region the region name
	 * @return the server's state
	 * @throws IllegalArgumentException if there is no such region
	 */
	public ServerState state(String region) {
		return server(region).state();
	}

	/**
	 * Stops the region's server, as a crash or a lost host would: connections are refused.
	 * @param region the region name
	 * @throws IllegalArgumentException if there is no such region
	 */
	public void stop(String region) {
		logger.warn("Stopping embedded Redis of region '" + region + "' (demo)");
		server(region).stop();
	}

	/**
	 * Freezes the region's server (SIGSTOP): connections hang, nothing is answered.
	 * @param region the region name
	 * @throws IllegalArgumentException if there is no such region
	 * @throws IllegalStateException if the server is not running
	 */
	public void hang(String region) {
		logger.warn("Hanging embedded Redis of region '" + region + "' (demo, SIGSTOP)");
		server(region).hang();
	}

	/**
	 * Brings the region's server back: continued if hung, restarted empty on its port if stopped.
	 * @param region the region name
	 * @throws IllegalArgumentException if there is no such region
	 */
	public void restore(String region) {
		logger.info("Restoring embedded Redis of region '" + region + "' (demo)");
		server(region).restore();
	}

	private EmbeddedRedisServer server(String region) {
		return this.servers.stream()
			.filter((server) -> server.region().equals(region))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No embedded region named '" + region + "'; regions are " + regions()));
	}

	/**
	 * Ties the servers to the application context that uses them, for the shutdown hook.
	 * @param context the context
	 */
	void attach(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Stops every server and deletes their directory. Idempotent.
	 */
	@Override
	public void close() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		this.servers.forEach(EmbeddedRedisServer::close);
		FileSystemUtils.deleteRecursively(this.directory.toFile());
		Path shared = this.sharedFile;
		if (shared != null) {
			try {
				Files.deleteIfExists(shared);
			}
			catch (IOException ex) {
				logger.debug("Could not delete " + shared, ex);
			}
		}
		logger.info("Stopped embedded Redis of regions " + this.servers.stream().map(EmbeddedRedisServer::region).toList());
		this.context = null;
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is already shutting down: the hook is running or about to, and will find us closed.
		}
	}

	private void closeOnShutdown() {
		ConfigurableApplicationContext attached = this.context;
		if (attached != null) {
			// Waits if Spring Boot's own shutdown hook is closing it already, which then closes us.
			attached.close();
		}
		close();
	}

	private static Path createDirectory() {
		try {
			return Files.createTempDirectory("sample-embedded-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a directory for embedded Redis", ex);
		}
	}

}
