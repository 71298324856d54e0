package io.github.resilientcache.autoconfigure;

import java.io.FileNotFoundException;
import java.util.List;

import io.github.resilientcache.autoconfigure.ResilientCacheProperties.Region;
import org.redisson.config.BaseConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SingleServerConfig;

import org.springframework.util.ResourceUtils;

/**
 * Builds the Redisson configuration of a region from its properties, with the starter's payment
 * defaults: short timeouts, at most one retry (failing over to another region is the retry),
 * lazy connection so that the application starts while a region is down, reads from masters only.
 */
final class RedissonConfigFactory {

	static final long LOCK_WATCHDOG_MILLIS = 10_000;

	private RedissonConfigFactory() {
	}

	static Config create(String name, Region region, List<RegionConfigCustomizer> customizers) {
		Config config = new Config();
		config.setLazyInitialization(true);
		config.setUseScriptCache(true);
		config.setThreads(4);
		config.setTcpKeepAlive(true);
		config.setNettyThreads(16);
		// The replay and reconciliation locks live this long after their holder died (Redisson's
		// default is 30 s, during which every other instance finds the region "being reconciled").
		// Renewed every third of it while the holder lives; two replays at once would only repeat
		// idempotent writes.
		config.setLockWatchdogTimeout(LOCK_WATCHDOG_MILLIS);
		if (region.getAddress() != null) {
			SingleServerConfig single = config.useSingleServer()
				.setAddress(region.getAddress())
				.setDatabase(region.getDatabase())
				.setConnectionPoolSize(region.getConnectionPoolSize())
				.setConnectionMinimumIdleSize(Math.min(region.getConnectionMinimumIdleSize(), region.getConnectionPoolSize()))
				.setSubscriptionConnectionMinimumIdleSize(1)
				.setSubscriptionConnectionPoolSize(4);
			common(name, single, region);
		}
		else if (!region.getClusterNodes().isEmpty()) {
			ClusterServersConfig cluster = config.useClusterServers()
				.setReadMode(ReadMode.MASTER)
				.setScanInterval(1000)
				.setMasterConnectionPoolSize(region.getConnectionPoolSize())
				.setMasterConnectionMinimumIdleSize(Math.min(region.getConnectionMinimumIdleSize(), region.getConnectionPoolSize()))
				.setSubscriptionConnectionMinimumIdleSize(1)
				.setSubscriptionConnectionPoolSize(4);
			region.getClusterNodes().forEach(cluster::addNodeAddress);
			common(name, cluster, region);
		}
		else {
			SentinelServersConfig sentinel = config.useSentinelServers()
				.setMasterName(region.getSentinel().getMasterName())
				.setDatabase(region.getDatabase())
				.setReadMode(ReadMode.MASTER)
				.setCheckSentinelsList(false)
				.setMasterConnectionPoolSize(region.getConnectionPoolSize())
				.setMasterConnectionMinimumIdleSize(Math.min(region.getConnectionMinimumIdleSize(), region.getConnectionPoolSize()))
				.setSubscriptionConnectionMinimumIdleSize(1)
				.setSubscriptionConnectionPoolSize(4);
			region.getSentinel().getNodes().forEach(sentinel::addSentinelAddress);
			common(name, sentinel, region);
		}
		trustStore(region, config);
		customizers.forEach((customizer) -> customizer.customize(name, config));
		return config;
	}

	private static void common(String name, BaseConfig<?> config, Region region) {
		config.setTimeout(millis(region.getTimeout()))
			.setConnectTimeout(millis(region.getConnectTimeout()))
			.setRetryAttempts(region.getRetryAttempts())
			.setRetryDelay(new ConstantDelay(region.getRetryInterval()))
			// Keep-alive: an idle connection closed by the server or the network is found by this
			// PING and reopened (a hint to the prober), never by a business call.
			.setPingConnectionInterval(millis(region.getPingInterval()))
			.setClientName("resilient-cache-" + name);
		if (region.getUsername() != null) {
			config.setUsername(region.getUsername());
		}
		if (region.getPassword() != null) {
			config.setPassword(region.getPassword());
		}
	}

	private static void trustStore(Region region, Config config) {
		String location = region.getSsl().getTrustStore();
		if (location != null) {
			try {
				config.setSslTruststore(ResourceUtils.getURL(location));
			}
			catch (FileNotFoundException ex) {
				throw new IllegalStateException("Trust store " + location + " not found", ex);
			}
			if (region.getSsl().getTrustStorePassword() != null) {
				config.setSslTruststorePassword(region.getSsl().getTrustStorePassword());
			}
		}
	}

	private static int millis(java.time.Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
	}

}
