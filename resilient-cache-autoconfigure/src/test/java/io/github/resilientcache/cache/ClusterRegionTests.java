package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.EmbeddedRedisCluster;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster region (three embedded masters) works like a single-server one.
 */
class ClusterRegionTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("west");

	static EmbeddedRedisCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = EmbeddedRedisCluster.start("east");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@BeforeEach
	void cleanCluster() {
		cluster.flushAll();
	}

	private ApplicationContextRunner runner() {
		List<String> nodes = new ArrayList<>();
		for (int i = 0; i < cluster.nodeAddresses().size(); i++) {
			nodes.add("resilient-cache.regions.east.cluster-nodes[" + i + "]=" + cluster.nodeAddresses().get(i));
		}
		// West is declared after east, so that east stays first in failover order.
		return TestApplications.runner(regions, "east").withPropertyValues(nodes.toArray(String[]::new))
			.withPropertyValues("resilient-cache.regions.west.address=" + regions.address("west"));
	}

	@Test
	void clusterRegionServesReadsWritesAndEvictionsAcrossSlots() {
		runner().run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			for (int i = 0; i < 30; i++) {
				service.find("c" + i);
			}
			for (int i = 0; i < 30; i++) {
				service.find("c" + i);
			}
			assertThat(service.loads()).isEqualTo(30);
			service.setBalance("c1", new BigDecimal("3.00"));
			assertThat(service.find("c1").balance()).isEqualByComparingTo("3.00");
			service.blockCard("c2");
			assertThat(service.find("c2").cardBlocked()).isTrue();
			context.getBean(org.springframework.cache.CacheManager.class).getCache("accounts").clear();
			long entries = cluster.nodes().stream().mapToLong((node) -> ((java.util.List<?>) node.command("KEYS", "rc:*::*")).size()).sum();
			assertThat(entries).isZero();
		});
	}

	@Test
	void clusterRegionDownFailsOverToTheSingleServerRegion() {
		runner().run((context) -> {
			// The cluster serving, not still starting (already OPEN): the region this test stops.
			TestApplications.serving(context);
			AccountService service = context.getBean(AccountService.class);
			for (int i = 0; i < 10; i++) {
				service.find("f" + i);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> TestApplications.holdsAccounts(regions.get("west"), TestApplications.ids("f", 10)));
			cluster.nodes().forEach((node) -> node.stop());
			for (int round = 0; round < 50; round++) {
				assertThat(service.find("f" + (round % 10)).id()).isEqualTo("f" + (round % 10));
			}
			assertThat(service.loads()).isEqualTo(10);
			// The lost connections held reads of east at once; a probe confirms the failure.
			await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(Regions.class).get("east").state() == RegionState.OPEN);
		});
	}

}
