package io.github.resilientcache.recovery;

import java.time.Duration;

import io.github.resilientcache.cache.CacheStatistics;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.ChaosProxy;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.StateLog;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application that starts while its local region is unreachable shows that region out from the
 * first look, serves from the healthy one, never takes the healthy one out, and takes the local
 * region back once it answers.
 */
class StartUpTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	@Test
	void startsWithTheLocalRegionRefusingConnections() {
		startsWithTheLocalRegionUnreachable(ChaosProxy::partition);
	}

	@Test
	void startsWithTheLocalRegionBlackHoled() {
		startsWithTheLocalRegionUnreachable(ChaosProxy::blackhole);
	}

	private void startsWithTheLocalRegionUnreachable(java.util.function.Consumer<ChaosProxy> fault) {
		fault.accept(regions.proxy("east"));
		TestApplications.runner(regions, "east").withBean(StateLog.class).run((context) -> {
			Regions all = context.getBean(Regions.class);
			StateLog log = context.getBean(StateLog.class);
			assertThat(all.get("east").state()).as("east at the first look").isNotEqualTo(RegionState.UP);
			assertThat(all.get("west").state()).as("west at the first look").isEqualTo(RegionState.UP);
			AccountService service = context.getBean(AccountService.class);
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
				service.find("start-1");
				return all.get("west").state() == RegionState.UP && all.get("east").state() != RegionState.UP;
			});
			assertThat(log.entered("east", RegionState.UP)).isFalse();
			assertThat(log.afterFirstUp("west")).as("west never left UP").isEmpty();
			// Served from west, never from east. Not "loaded once": on a starved machine a read of west
			// may miss (a connection its keep-alive dropped holds reads until a probe confirms west, a
			// put this client could not send in time is journaled, not cached), and a miss reloads.
			CacheStatistics statistics = context.getBean(MultiRegionCacheManager.class).getStatistics("accounts");
			int east = statistics.regionNames().indexOf("east");
			int west = statistics.regionNames().indexOf("west");
			assertThat(statistics.hits(east) + statistics.misses(east)).as("reads east answered").isZero();
			assertThat(statistics.hits(west)).as("reads west served").isPositive();
			regions.proxy("east").pass();
			await().atMost(Duration.ofSeconds(20)).until(() -> all.get("east").state() == RegionState.UP);
			assertThat(service.find("start-1")).isEqualTo(service.current("start-1"));
		});
	}

}
