package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A region whose journal cannot be trusted is rebuilt from a healthy peer: it comes back warm
 * (holding what the peer holds), never stale, never flushed.
 */
class WarmResyncTests {

	private static final int KEYS = 200;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void regionRestartedFromAnOlderSnapshotComesBackWarmAndNeverStale() {
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions all = context.getBean(Regions.class);
			fill(service, all);
			await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(FailbackProber.class).knowsRunIds("east"));
			regions.get("east").saveSnapshot();
			for (int i = 0; i < KEYS; i += 4) {
				service.setBalance("warm-" + i, BigDecimal.valueOf(5000 + i));
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
					regions.get("west").command("GET", "rc:accounts::warm-" + (KEYS - 4))).asString().contains(String.valueOf(5000 + KEYS - 4)));
			// Entries the peer no longer holds (expired there, say): the snapshot still has them.
			List<String> goneFromPeer = List.of("rc:accounts::warm-1", "rc:accounts::warm-7", "rc:accounts::warm-13");
			goneFromPeer.forEach((key) -> regions.get("west").command("DEL", key));
			regions.get("east").restartFromSnapshot();
			await().atMost(Duration.ofSeconds(30)).until(all.get("east")::isServing);
			assertThat(goneFromPeer).as("entries the peer lacks are deleted from the rebuilt region")
				.allSatisfy((key) -> assertThat(regions.get("east").command("EXISTS", key)).isEqualTo(0L));
			awaitBackAndCheck(service, all.get("east"), "restart from an older snapshot");
		});
	}

	@Test
	void journalOverflowResyncsWarm() {
		TestApplications.runner(regions, "east")
			.withPropertyValues("resilient-cache.journal.max-entries=10", "resilient-cache.journal.memory-max-entries=10")
			.run((context) -> {
				AccountService service = context.getBean(AccountService.class);
				Regions all = context.getBean(Regions.class);
				fill(service, all);
				regions.get("east").pause();
				try {
					await().atMost(Duration.ofSeconds(10)).until(() -> {
						service.find("warm-0");
						return all.get("east").state() == RegionState.OPEN;
					});
					for (int i = 0; i < KEYS; i += 2) {
						service.setBalance("warm-" + i, BigDecimal.valueOf(7000 + i));
					}
				}
				finally {
					regions.get("east").resume();
				}
				awaitBackAndCheck(service, all.get("east"), "journal overflow");
				assertThat(context.getBean(RegionRecovery.class).lastResync("east")).isNotNull();
			});
	}

	private static void fill(AccountService service, Regions all) {
		await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
		for (int i = 0; i < KEYS; i++) {
			service.find("warm-" + i);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> entries("west").size() >= KEYS);
	}

	private static void awaitBackAndCheck(AccountService service, Region east, String what) {
		await().atMost(Duration.ofSeconds(30)).until(east::isServing);
		// Right after UP: the share of the peer's entries the region holds, byte for byte.
		List<?> peer = entries("west");
		long present = peer.stream()
			.filter((key) -> Objects.equals(regions.get("east").command("GET", (String) key), regions.get("west").command("GET", (String) key)))
			.count();
		double share = 100.0 * present / peer.size();
		int stale = 0;
		for (int i = 0; i < KEYS; i++) {
			if (!service.find("warm-" + i).equals(service.current("warm-" + i))) {
				stale++;
			}
		}
		System.out.printf("[figure] warm resync after %s: east holds %d of west's %d entries (%.1f%%), %d stale reads%n", what, present,
				peer.size(), share, stale);
		assertThat(share).isGreaterThanOrEqualTo(99.0);
		assertThat(stale).isZero();
	}

	private static List<?> entries(String region) {
		return (List<?>) regions.get(region).command("KEYS", "rc:*::*");
	}

}
