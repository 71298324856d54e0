package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;

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
 * A key being replayed stays journaled until its repair has landed: while a serving region is
 * drained, reads of the key never go to it, and a crash in that window cannot lose the only record
 * that the region is stale.
 */
class ClaimBeforeReplayTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	@Test
	void aKeyBeingDrainedIsNotReadFromTheStaleRegionAndKeepsItsDurableRecord() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			// Both regions serving, not still starting: only a serving region has its journal drained.
			Regions all = TestApplications.serving(context);
			ReplayJournal journal = context.getBean(ReplayJournal.class);
			String key = "rc:accounts::d-1";
			service.find("d-1");
			await().atMost(Duration.ofSeconds(5)).until(() -> regions.get("east").dbSize() >= 1 && regions.get("west").dbSize() >= 1);
			try {
				// One transient server error on east: the put goes to west, east's miss is journaled.
				regions.get("east").command("CONFIG", "SET", "maxmemory", "1");
				service.setBalance("d-1", new BigDecimal("555.00"));
				assertThat(journal.isPending(all.get("east"), key)).isTrue();
				await().atMost(Duration.ofSeconds(5)).until(() -> (Long) regions.get("west").command("HLEN", "rc:journal:{east}") == 1L);
				// west (the journal holder and replay source) gets slower, still well within its timeout.
				regions.proxy("west").latency(Duration.ofMillis(60));
			}
			finally {
				regions.get("east").command("CONFIG", "SET", "maxmemory", "0");
			}
			// The prober drains east: wait for the moment the key was claimed.
			await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> !journal.isPending(all.get("east"), key));
			String eastRaw = String.valueOf(regions.get("east").command("GET", key));
			BigDecimal read = service.find("d-1").balance();
			await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(2))
				.until(() -> (Long) regions.get("west").command("HLEN", "rc:journal:{east}") == 0L);
			boolean eastStillStale = !String.valueOf(regions.get("east").command("GET", key)).contains("555");
			System.out.printf("[review] east raw at claim: %s; read: %s; durable record gone while east stale: %s%n", eastRaw, read,
					eastStillStale);
			assertThat(eastStillStale).as("durable journal record deleted before east was repaired (a crash now loses it)").isFalse();
			assertThat(read).as("read while east is being drained").isEqualByComparingTo("555.00");
		});
	}

}
