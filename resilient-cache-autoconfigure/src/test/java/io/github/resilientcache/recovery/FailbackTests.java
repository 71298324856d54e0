package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.Account;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A region that fails while holding data comes back without serving anything stale: the writes and
 * evictions it missed are replayed before it is read from again.
 */
class FailbackTests {

	private static final int KEYS = 100;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void noStaleReadAfterTheHungLocalRegionComesBack() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			// East serving, not still starting or reconciling: the region this test hangs.
			Regions all = TestApplications.serving(context);
			for (int i = 0; i < KEYS; i++) {
				service.find("acc-" + i);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("east").dbSize() >= KEYS && regions.get("west").dbSize() >= KEYS);
			regions.get("east").pause();
			for (int i = 0; i < KEYS; i++) {
				if (i % 2 == 0) {
					service.blockCard("acc-" + i);
				}
				else {
					service.setBalance("acc-" + i, BigDecimal.valueOf(1000 + i));
				}
			}
			assertThat(all.get("east").state()).isNotEqualTo(RegionState.UP);
			regions.get("east").resume();
			long released = System.nanoTime();
			await().atMost(Duration.ofSeconds(20)).until(() -> all.get("east").state() == RegionState.UP);
			long upMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
			int stale = 0;
			for (int i = 0; i < KEYS; i++) {
				Account read = service.find("acc-" + i);
				if (!read.equals(service.current("acc-" + i))) {
					stale++;
				}
			}
			System.out.printf("[figure] failback: release -> UP %d ms, stale reads after failback: %d of %d%n", upMillis, stale, KEYS);
			assertThat(stale).isZero();
			assertThat(regions.get("east").command("EXISTS", "rc:accounts::acc-1")).as("east serves again").isEqualTo(1L);
		});
	}

	@Test
	void anotherInstanceReplaysTheJournalOfAnInstanceThatIsGone() {
		BigDecimal[] written = new BigDecimal[20];
		TestApplications.runner(regions, "east").run((first) -> {
			// West serving, not still starting: it holds east's journal.
			TestApplications.serving(first);
			AccountService service = first.getBean(AccountService.class);
			for (int i = 0; i < written.length; i++) {
				service.find("gone-" + i);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("east").dbSize() >= written.length);
			regions.get("east").pause();
			for (int i = 0; i < written.length; i++) {
				written[i] = BigDecimal.valueOf(500 + i);
				service.setBalance("gone-" + i, written[i]);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> (Long) regions.get("west").command("HLEN", "rc:journal:{east}") >= written.length);
		});
		regions.get("east").resume();
		TestApplications.runner(regions, "east").run((second) -> {
			Regions all = second.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> all.get("east").state() == RegionState.UP);
			assertThat(regions.get("west").command("HLEN", "rc:journal:{east}")).isEqualTo(0L);
			AccountService service = second.getBean(AccountService.class);
			for (int i = 0; i < written.length; i++) {
				assertThat(service.find("gone-" + i).balance()).isEqualByComparingTo(written[i]);
				assertThat(regions.get("east").command("GET", "rc:accounts::gone-" + i))
					.isEqualTo(regions.get("west").command("GET", "rc:accounts::gone-" + i));
			}
			assertThat(service.loads()).as("served from the cache, east replayed").isZero();
		});
	}

	@Test
	void journalOverflowResyncsTheRegionInsteadOfTrustingIt() {
		TestApplications.runner(regions, "east")
			.withPropertyValues("resilient-cache.journal.max-entries=5", "resilient-cache.journal.memory-max-entries=5")
			.run((context) -> {
				AccountService service = context.getBean(AccountService.class);
				Regions all = TestApplications.serving(context);
				for (int i = 0; i < 30; i++) {
					service.find("o-" + i);
				}
				await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("east").dbSize() >= 30);
				regions.get("east").pause();
				for (int i = 0; i < 30; i++) {
					service.setBalance("o-" + i, BigDecimal.valueOf(i));
				}
				// East is failed, and known to have missed more than its journal holds, while it is still
				// hung; only then does it come back. Waiting for UP right after the resume could see it
				// before it was ever failed (seen on a loaded machine).
				ReplayJournal journal = context.getBean(ReplayJournal.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> all.get("east").state() == RegionState.OPEN);
				await("the journal knows east missed more than it holds").atMost(Duration.ofSeconds(5)).until(() -> journal.needsResync(all.get("east")));
				regions.get("east").resume();
				await().atMost(Duration.ofSeconds(20)).until(() -> all.get("east").state() == RegionState.UP);
				assertThat(context.getBean(RegionRecovery.class).lastResync("east")).as("east was resynced").isNotNull();
				for (int i = 0; i < 30; i++) {
					assertThat(service.find("o-" + i)).isEqualTo(service.current("o-" + i));
				}
			});
	}

	@Test
	void writesDuringMaintenanceAreReplayedWhenTheRegionComesBackOnline() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions all = TestApplications.serving(context);
			RegionRecovery recovery = context.getBean(RegionRecovery.class);
			service.find("m-1");
			service.find("m-2");
			recovery.takeOffline(all.get("east"), "maintenance");
			service.setBalance("m-1", new BigDecimal("11.00"));
			service.blockCard("m-2");
			assertThat(regions.get("east").command("GET", "rc:accounts::m-1")).asString().doesNotContain("11.00");
			assertThat(service.find("m-1").balance()).isEqualByComparingTo("11.00");
			assertThat(recovery.bringOnline(all.get("east"), "maintenance over")).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
			assertThat(all.get("east").state()).isEqualTo(RegionState.UP);
			assertThat(regions.get("east").command("GET", "rc:accounts::m-1")).asString().contains("11.00");
			assertThat(service.find("m-2").cardBlocked()).isTrue();
		});
	}

}
