package io.github.resilientcache.autoconfigure;

import org.redisson.config.Config;

/**
 * Callback to customize the Redisson {@link Config} of a region before its client is created, e.g.
 * for TLS trust stores, a NAT map or Netty threads. Applied in {@code @Order} order.
 */
@FunctionalInterface
public interface RegionConfigCustomizer {

	/**
	 * Customizes the configuration of one region.
	 * @param region the region's name
	 * @param config the configuration, already holding the starter's settings
	 */
	void customize(String region, Config config);

}
