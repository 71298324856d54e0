package io.github.resilientcache.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.resilientcache.actuate.CredentialMasking;
import io.github.resilientcache.autoconfigure.ResilientCacheProperties.Region;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ResourceUtils;

/**
 * Checks the configuration at start-up, so that a mistake fails the start with a message naming the
 * property, the value and the fix instead of surfacing as a cache that silently never works.
 * Passwords are never echoed.
 */
final class ResilientCachePropertiesValidator {

	private static final String PREFIX = "resilient-cache.";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

	private static final Pattern PACKAGE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

	private static final Set<String> JDK_ROOTS = Set.of("java", "javax", "jdk", "sun", "com.sun");

	private static final Set<String> LIBRARY_ROOTS = Set.of("org.springframework", "org.apache", "com.fasterxml", "tools.jackson",
			"org.redisson", "io.netty", "ch.qos", "org.hibernate", "com.mchange", "org.codehaus", "org.yaml", "groovy");

	private ResilientCachePropertiesValidator() {
	}

	/**
	 * Validates the properties.
	 * @param properties the properties
	 * @return the name of the local region
	 * @throws InvalidConfigurationPropertyValueException for the first problem found
	 */
	static String validate(ResilientCacheProperties properties) {
		Map<String, Region> regions = properties.getRegions();
		if (regions.isEmpty()) {
			throw invalid("regions", "(none)",
					"No region is configured. Set resilient-cache.regions.<name>.address=redis://host:port for each region "
							+ "(or .cluster-nodes, or .sentinel.master-name and .sentinel.nodes), or set resilient-cache.enabled=false.");
		}
		String local = properties.getLocalRegion();
		if (local == null || local.isBlank()) {
			if (regions.size() > 1) {
				throw invalid("local-region", "(none)", "resilient-cache.local-region is required when several regions are configured: "
						+ "set it to the region this instance runs in, one of " + regions.keySet() + ".");
			}
			local = regions.keySet().iterator().next();
		}
		else if (!regions.containsKey(local)) {
			throw invalid("local-region", local, "'" + local + "' is not a configured region: use one of " + regions.keySet() + ".");
		}
		regions.forEach(ResilientCachePropertiesValidator::validateRegion);
		String prefix = properties.getKeyPrefix();
		if (prefix != null && (prefix.isBlank() || !Pattern.matches("[A-Za-z0-9_.-]+", prefix))) {
			throw invalid("key-prefix", String.valueOf(prefix), "Use letters, digits, '-', '_' or '.' (the ':' separator, glob, hash-tag and "
					+ "blank characters are reserved, so that one application's keys never match another's patterns).");
		}
		positive("operation-timeout", properties.getOperationTimeout());
		notNegative("default-ttl", properties.getDefaultTtl());
		positive("tombstone-ttl", properties.getTombstoneTtl());
		if (properties.getMaxValueSize().toBytes() <= 0) {
			throw invalid("max-value-size", properties.getMaxValueSize().toString(), "Use a positive size such as 1MB.");
		}
		allowedPackages(properties.getCodec().getAllowedPackages());
		properties.getCaches().forEach((name, cache) -> {
			if (cache.getTtl() != null) {
				notNegative("caches." + name + ".ttl", cache.getTtl());
			}
			if (cache.getTimeout() != null) {
				positive("caches." + name + ".timeout", cache.getTimeout());
			}
		});
		nearCache(properties);
		ResilientCacheProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
		percentage("circuit-breaker.failure-rate-threshold", breaker.getFailureRateThreshold());
		percentage("circuit-breaker.slow-call-rate-threshold", breaker.getSlowCallRateThreshold());
		positive("circuit-breaker.slow-call-duration-threshold", breaker.getSlowCallDurationThreshold());
		atLeastOne("circuit-breaker.minimum-number-of-calls", breaker.getMinimumNumberOfCalls());
		atLeastOne("circuit-breaker.sliding-window-size", breaker.getSlidingWindowSize());
		atLeastOne("replication.max-in-flight", properties.getReplication().getMaxInFlight());
		atLeastOne("journal.max-entries", properties.getJournal().getMaxEntries());
		atLeastOne("journal.memory-max-entries", properties.getJournal().getMemoryMaxEntries());
		positive("probe.interval", properties.getProbe().getInterval());
		notNegative("probe.jitter", properties.getProbe().getJitter());
		atLeastOne("probe.successes-to-recover", properties.getProbe().getSuccessesToRecover());
		positive("probe.timeout", properties.getProbe().getTimeout());
		positive("max-clock-drift", properties.getMaxClockDrift());
		atLeastOne("reconciliation.resync-max-keys-per-second", properties.getReconciliation().getResyncMaxKeysPerSecond());
		positive("reconciliation.interval", properties.getReconciliation().getInterval());
		atLeastOne("reconciliation.batch-size", properties.getReconciliation().getBatchSize());
		atLeastOne("reconciliation.max-keys-per-second", properties.getReconciliation().getMaxKeysPerSecond());
		ResilientCacheProperties.Stream stream = properties.getStream();
		positive("stream.interval", stream.getInterval());
		atLeastOne("stream.max-subscribers", stream.getMaxSubscribers());
		atLeastOne("stream.max-subscribers-per-client", stream.getMaxSubscribersPerClient());
		positive("stream.timeout", stream.getTimeout());
		if (stream.getPath() == null || !stream.getPath().startsWith("/")) {
			throw invalid("stream.path", String.valueOf(stream.getPath()), "Use a path starting with '/', such as /resilient-cache/stream.");
		}
		validateFleet(properties.getFleet());
		if (properties.getFleet().isEnabled() && regions.containsKey("fleet")) {
			throw invalid("regions.fleet", "fleet", "With resilient-cache.fleet.enabled, /actuator/resilientcache/fleet is the fleet view: "
					+ "give the region another name.");
		}
		return local;
	}

	private static void validateFleet(ResilientCacheProperties.Fleet fleet) {
		positive("fleet.interval", fleet.getInterval());
		if (fleet.getStreamMaxLength() < 10) {
			throw invalid("fleet.stream-max-length", String.valueOf(fleet.getStreamMaxLength()),
					"Use at least 10, and at least twice the number of application instances.");
		}
		if (fleet.getStaleAfter().compareTo(fleet.getInterval().multipliedBy(2)) < 0) {
			throw invalid("fleet.stale-after", fleet.getStaleAfter().toString(), "Use at least twice resilient-cache.fleet.interval ("
					+ fleet.getInterval() + "), or every instance looks stale between two snapshots.");
		}
		if (!(fleet.getQuorum() >= 0 && fleet.getQuorum() < 1)) {
			throw invalid("fleet.quorum", String.valueOf(fleet.getQuorum()),
					"Use a share from 0 (any reporting instance) to below 1, such as 0.5 for a strict majority.");
		}
		notNegative("fleet.threshold", fleet.getThreshold());
		notNegative("fleet.cool-down", fleet.getCoolDown());
		if (fleet.getLeaderLease().compareTo(fleet.getInterval().multipliedBy(2)) < 0) {
			throw invalid("fleet.leader-lease", fleet.getLeaderLease().toString(), "Use at least twice resilient-cache.fleet.interval ("
					+ fleet.getInterval() + "), so that the leader renews its lease before it expires.");
		}
		atLeastOne("fleet.max-actions", fleet.getMaxActions());
		positive("fleet.max-actions-period", fleet.getMaxActionsPeriod());
		ResilientCacheProperties.Webhook webhook = fleet.getWebhook();
		URI url = webhook.getUrl();
		if (url != null && (url.getHost() == null || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())))) {
			throw invalid("fleet.webhook.url", String.valueOf(url.getScheme()) + "://" + url.getHost(),
					"Use an absolute http:// or https:// URL, such as https://automation.example.com/hooks/redis.");
		}
		positive("fleet.webhook.connect-timeout", webhook.getConnectTimeout());
		positive("fleet.webhook.timeout", webhook.getTimeout());
		if (webhook.getRetries() < 0 || webhook.getRetries() > 10) {
			throw invalid("fleet.webhook.retries", String.valueOf(webhook.getRetries()), "Use 0 to 10.");
		}
		notNegative("fleet.webhook.retry-backoff", webhook.getRetryBackoff());
	}

	private static void validateRegion(String name, Region region) {
		String property = "regions." + name;
		if (!NAME.matcher(name).matches()) {
			throw invalid(property, name, "Region names may hold letters, digits, '-', '_' and '.' only.");
		}
		boolean single = region.getAddress() != null && !region.getAddress().isBlank();
		boolean cluster = !region.getClusterNodes().isEmpty();
		boolean sentinel = region.getSentinel().getMasterName() != null || !region.getSentinel().getNodes().isEmpty();
		int kinds = (single ? 1 : 0) + (cluster ? 1 : 0) + (sentinel ? 1 : 0);
		if (kinds != 1) {
			throw invalid(property + ((kinds == 0) ? ".address" : ""), (kinds == 0) ? "(none)" : "several",
					"Give region '" + name + "' exactly one of: address (a single server), cluster-nodes (Redis Cluster), "
							+ "or sentinel.master-name with sentinel.nodes (Sentinel).");
		}
		if (single) {
			address(property + ".address", region.getAddress());
		}
		addresses(property + ".cluster-nodes", region.getClusterNodes());
		addresses(property + ".sentinel.nodes", region.getSentinel().getNodes());
		if (sentinel && (region.getSentinel().getMasterName() == null || region.getSentinel().getNodes().isEmpty())) {
			throw invalid(property + ".sentinel", "incomplete", "A Sentinel region needs both sentinel.master-name and sentinel.nodes.");
		}
		trustStore(property + ".ssl.trust-store", region.getSsl().getTrustStore());
		positive(property + ".timeout", region.getTimeout());
		notNegative(property + ".ping-interval", region.getPingInterval());
		positive(property + ".connect-timeout", region.getConnectTimeout());
		notNegative(property + ".retry-interval", region.getRetryInterval());
		if (region.getRetryAttempts() < 0) {
			throw invalid(property + ".retry-attempts", String.valueOf(region.getRetryAttempts()), "Use 0 or 1: failing over to another region is the retry.");
		}
		atLeastOne(property + ".connection-pool-size", region.getConnectionPoolSize());
		if (region.getDatabase() < 0) {
			throw invalid(property + ".database", String.valueOf(region.getDatabase()), "Use a database index of 0 or more.");
		}
	}

	/**
	 * Each allowed package must name one application's classes: a single segment ({@code org},
	 * {@code com}) or a JDK root would let stored data name the gadget classes of every library.
	 */
	private static void allowedPackages(List<String> packages) {
		for (int i = 0; i < packages.size(); i++) {
			String pkg = packages.get(i);
			String property = "codec.allowed-packages[" + i + "]";
			if (pkg == null || !PACKAGE.matcher(pkg).matches()) {
				throw invalid(property, String.valueOf(pkg), "Use a package name such as com.example.payments (no wildcards, no trailing dot).");
			}
			if (under(pkg, JDK_ROOTS)) {
				throw invalid(property, pkg, "JDK packages cannot be allowed: the JDK's value, collection, time and math types are "
						+ "allowed class by class already. Remove it, and cache your own types instead.");
			}
			if (under(pkg, LIBRARY_ROOTS)) {
				throw invalid(property, pkg, "This is a library's package, whose classes include known deserialization gadgets. "
						+ "Allow the package of your own cached types instead.");
			}
			if (pkg.indexOf('.') < 0) {
				throw invalid(property, pkg, "A single-segment package allows the classes of every library under it. "
						+ "Name the package of your cached types, such as " + pkg + ".example.payments.");
			}
		}
	}

	private static boolean under(String pkg, Set<String> roots) {
		return roots.stream().anyMatch((root) -> pkg.equals(root) || pkg.startsWith(root + "."));
	}

	/**
	 * A trust store must be readable at start-up: otherwise every TLS connection would fail
	 * certificate verification later, one cache miss at a time.
	 */
	private static void trustStore(String property, @Nullable String location) {
		if (location == null) {
			return;
		}
		String fix = "Point it at a readable PKCS12 or JKS trust store holding the CA of the region's Redis servers, "
				+ "such as file:/etc/payments/redis-truststore.p12 or classpath:redis-truststore.p12.";
		try {
			URL url = ResourceUtils.getURL(location);
			try (InputStream in = url.openStream()) {
				if (in.read() < 0) {
					throw invalid(property, location, "The trust store is empty. " + fix);
				}
			}
		}
		catch (IOException ex) {
			throw invalid(property, location, "The trust store cannot be read (" + ex.getClass().getSimpleName() + "). " + fix);
		}
	}

	private static void addresses(String property, List<String> addresses) {
		for (int i = 0; i < addresses.size(); i++) {
			address(property + "[" + i + "]", addresses.get(i));
		}
	}

	private static void address(String property, @Nullable String address) {
		String fix = "Use redis://host:port, or rediss://host:port for TLS (credentials go in the username and password properties).";
		if (address == null) {
			throw invalid(property, "(none)", fix);
		}
		URI uri;
		try {
			uri = URI.create(address.trim());
		}
		catch (IllegalArgumentException ex) {
			throw invalid(property, mask(address), fix);
		}
		if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null || uri.getPort() < 1
				|| uri.getPort() > 65535) {
			throw invalid(property, mask(address), fix);
		}
		if (uri.getRawUserInfo() != null) {
			// Credentials in an address end up in logs and in Redisson's own messages.
			throw invalid(property, mask(address), "Remove the credentials from the address and set them in resilient-cache.regions.<name>.username "
					+ "and .password instead, which are never logged or shown.");
		}
	}

	/**
	 * Hides the user-info part of an address, which may hold a password.
	 * @param address the address
	 * @return the address without credentials
	 */
	static String mask(String address) {
		return CredentialMasking.maskAddress(address);
	}

	private static void positive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(property, String.valueOf(value), "Use a positive duration such as 200ms or 1s.");
		}
	}

	private static void notNegative(String property, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw invalid(property, String.valueOf(value), "Use a duration of zero or more, such as 10m.");
		}
	}

	private static void percentage(String property, float value) {
		if (!(value > 0 && value <= 100)) {
			throw invalid(property, String.valueOf(value), "Use a percentage greater than 0 and at most 100.");
		}
	}

	private static void atLeastOne(String property, int value) {
		if (value < 1) {
			throw invalid(property, String.valueOf(value), "Use a whole number of 1 or more.");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, String value, String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
	}

	private static void nearCache(ResilientCacheProperties properties) {
		ResilientCacheProperties.NearCache defaults = properties.getNearCache();
		nearCacheBounds("near-cache", defaults.getMaxSize(), defaults.getMaxStaleness());
		positive("near-cache.heartbeat-interval", defaults.getHeartbeatInterval());
		properties.getCaches().forEach((name, cache) -> {
			ResilientCacheProperties.CacheNearCache near = cache.getNearCache();
			long maxSize = (near.getMaxSize() != null) ? near.getMaxSize() : defaults.getMaxSize();
			Duration maxStaleness = (near.getMaxStaleness() != null) ? near.getMaxStaleness() : defaults.getMaxStaleness();
			nearCacheBounds("caches." + name + ".near-cache", maxSize, maxStaleness);
			if (near.isEnabled() && defaults.getHeartbeatInterval().multipliedBy(4).compareTo(maxStaleness) >= 0) {
				throw invalid("near-cache.heartbeat-interval", defaults.getHeartbeatInterval().toString(),
						"A lost invalidation channel is found after 4 heartbeat intervals, which must be shorter than caches." + name
								+ ".near-cache.max-staleness (" + maxStaleness + "): lower the interval or raise max-staleness.");
			}
		});
	}

	private static void nearCacheBounds(String group, long maxSize, Duration maxStaleness) {
		if (maxSize < 1) {
			throw invalid(group + ".max-size", Long.toString(maxSize), "Use at least 1 entry (or leave the near cache disabled).");
		}
		positive(group + ".max-staleness", maxStaleness);
	}

}
