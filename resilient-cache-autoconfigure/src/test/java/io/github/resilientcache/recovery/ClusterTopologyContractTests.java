package io.github.resilientcache.recovery;

import io.github.resilientcache.test.RedisVersion;
import io.github.resilientcache.test.RegionTopology;

/** The topology contract for a region on a Redis Cluster of 3 masters with a replica each, Redis 6.2. */
class ClusterTopologyContractTests extends AbstractTopologyContractTests {

	@Override
	RegionTopology startTopology(String name, RedisVersion version) {
		return RegionTopology.cluster(name, version);
	}

	@Override
	RedisVersion version() {
		return RedisVersion.V6_2;
	}

}
