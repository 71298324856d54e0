package io.github.resilientcache.recovery;

import io.github.resilientcache.test.RedisVersion;
import io.github.resilientcache.test.RegionTopology;

/** The topology contract for a region on a Sentinel deployment (primary, replica, 3 sentinels), Redis 6.2. */
class SentinelTopologyContractTests extends AbstractTopologyContractTests {

	@Override
	RegionTopology startTopology(String name, RedisVersion version) {
		return RegionTopology.sentinel(name, version);
	}

	@Override
	RedisVersion version() {
		return RedisVersion.V6_2;
	}

}
