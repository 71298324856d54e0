package io.github.resilientcache.recovery;

import java.math.BigDecimal;
import java.time.Duration;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.StateLog;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A key of the wrong Redis type or holding garbage is a fault of that key, not of the region: it is
 * repaired where it is, the call answers right, the region stays UP and nothing is journaled.
 */
class PoisonedKeyTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	@Test
	void wrongTypesAndGarbageAreRepairedAtTheKey() {
		TestApplications.runner(regions, "east").withBean(StateLog.class).run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			Regions all = context.getBean(Regions.class);
			ReplayJournal journal = context.getBean(ReplayJournal.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> TestApplications.allUp(all));
			for (int round = 0; round < 3; round++) {
				for (String key : new String[] { "hash", "list", "put", "garbage" }) {
					regions.get("east").command("DEL", "rc:accounts::" + key);
					regions.get("west").command("DEL", "rc:accounts::" + key);
				}
				regions.get("east").command("HSET", "rc:accounts::hash", "field", "value");
				regions.get("east").command("RPUSH", "rc:accounts::list", "a", "b");
				regions.get("east").command("SADD", "rc:accounts::put", "x");
				regions.get("west").command("HSET", "rc:accounts::put", "field", "value");
				regions.get("east").command("SET", "rc:accounts::garbage", "not an entry");
				assertThat(service.find("hash")).isEqualTo(service.current("hash"));
				assertThat(service.find("list")).isEqualTo(service.current("list"));
				assertThat(service.find("garbage")).isEqualTo(service.current("garbage"));
				service.setBalance("put", BigDecimal.valueOf(round));
				assertThat(service.find("put").balance()).isEqualByComparingTo(BigDecimal.valueOf(round));
				service.blockCard("list");
				assertThat(service.find("list").cardBlocked()).isTrue();
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(regions.get("east").command("TYPE", "rc:accounts::put")).isEqualTo("string");
				assertThat(regions.get("west").command("TYPE", "rc:accounts::put")).isEqualTo("string");
			});
			StateLog log = context.getBean(StateLog.class);
			for (Region region : all.all()) {
				assertThat(log.afterFirstUp(region.name())).as(region.name() + " stays UP").isEmpty();
				assertThat(region.circuitBreaker().getMetrics().getNumberOfFailedCalls()).as(region.name() + " breaker failures").isZero();
				assertThat(journal.recorded(region)).as(region.name() + " journaled nothing").isZero();
			}
		});
	}

}
