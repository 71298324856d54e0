package io.github.resilientcache.recovery;

import java.time.Duration;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An eviction that no region takes (every region answers with a server error) must not be undone
 * by the replay: with no region holding the newer state, the key is deleted everywhere rather than
 * copied back from a region that still holds the value from before the eviction.
 */
class LostEvictionTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void anEvictionNoRegionTookIsNotLost() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			// Both regions serving, not still starting: the ones that refuse the eviction.
			Regions all = TestApplications.serving(context);
			ReplayJournal journal = context.getBean(ReplayJournal.class);
			String key = "rc:accounts::lost-1";
			service.find("lost-1");
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("east").dbSize() >= 1 && regions.get("west").dbSize() >= 1);
			try {
				// Both regions refuse writes (a Redis server error, like OOM or READONLY during a failover).
				regions.get("east").command("CONFIG", "SET", "maxmemory", "1");
				regions.get("west").command("CONFIG", "SET", "maxmemory", "1");
				service.blockCard("lost-1"); // @CacheEvict: the business call succeeds
			}
			finally {
				regions.get("east").command("CONFIG", "SET", "maxmemory", "0");
				regions.get("west").command("CONFIG", "SET", "maxmemory", "0");
			}
			assertThat(service.current("lost-1").cardBlocked()).isTrue();
			// The prober drains both journals (regions stayed UP: one error does not open a breaker).
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !journal.isPending(all.get("east"), key) && !journal.isPending(all.get("west"), key));
			assertThat(service.find("lost-1").cardBlocked()).as("the evicted (stale) account is served again").isTrue();
		});
	}

}
