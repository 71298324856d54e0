package io.github.resilientcache.recovery;

import io.github.resilientcache.test.RedisVersion;
import io.github.resilientcache.test.RegionTopology;

/** The topology contract for a region on a single server, Redis 7. */
class Redis7SingleTopologyContractTests extends AbstractTopologyContractTests {

	@Override
	RegionTopology startTopology(String name, RedisVersion version) {
		return RegionTopology.single(name, version);
	}

	@Override
	RedisVersion version() {
		return RedisVersion.V7;
	}

}
