package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.Account;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A region whose journal cannot be read right now (the region holding it hangs) is not trusted:
 * at start it is kept out until it has been reconciled, and it is resynced rather than partly
 * replayed.
 */
class UnreadableJournalTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void aRegionWhoseJournalCannotBeReadIsNotTrusted() {
		TestApplications.runner(regions, "east").run((first) -> {
			// Both regions serving, not still starting: east takes the write and holds west's journal.
			TestApplications.serving(first);
			AccountService service = first.getBean(AccountService.class);
			service.find("j-1");
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("east").dbSize() >= 1 && regions.get("west").dbSize() >= 1);
			regions.get("west").command("CONFIG", "SET", "maxmemory", "1"); // west refuses writes for a moment
			service.setBalance("j-1", new BigDecimal("777.00")); // east takes it, west misses it
			await().atMost(Duration.ofSeconds(5)).until(() -> (Long) regions.get("east").command("HLEN", "rc:journal:{west}") == 1L);
		});
		// The instance is gone (deploy); west is back, east (holding west's journal) hangs.
		regions.get("west").command("CONFIG", "SET", "maxmemory", "0");
		regions.get("east").pause();
		try {
			TestApplications.runner(regions, "east").run((second) -> {
				AccountService service = second.getBean(AccountService.class);
				System.out.println("[review] west state at start: " + second.getBean(Regions.class).get("west").state());
				Account read = service.find("j-1");
				System.out.println("[review] read " + read + ", loads " + service.loads());
				assertThat(service.loads()).as("served west's entry (balance " + read.balance() + ") although its journal says it missed 777.00")
					.isEqualTo(1);
			});
		}
		finally {
			regions.get("east").resume();
		}
	}

}
