package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.Replicator;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A remote region written in the background (the async level) that answers more slowly than the
 * breaker's slow-call threshold, but within its timeout, against real servers behind a proxy: no
 * caller waits for those writes, so their duration does not fail the region over (their failures
 * still would). Before, twenty async writes to a region 120 ms away (threshold 50 ms) opened
 * its breaker, and every write after it was journaled and replayed.
 */
class BackgroundReplicationTests {

	private static final int WRITES = 30;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	private final ApplicationContextRunner runner = TestApplications.runner(regions, "east")
		.withPropertyValues("resilient-cache.replication.mode=async", "resilient-cache.circuit-breaker.slow-call-duration-threshold=50ms",
				"resilient-cache.regions.west.timeout=2s", "resilient-cache.caches.accounts.timeout=3s");

	@Test
	void asyncWritesToARegionSlowerThanTheSlowCallThresholdDoNotFailItOver() {
		this.runner.run((context) -> {
			Regions all = TestApplications.serving(context);
			Region west = all.get("west");
			AccountService service = context.getBean(AccountService.class);
			Replicator replicator = context.getBean(Replicator.class);
			long replicatedBefore = replicator.replicated();
			regions.proxy("west").latency(Duration.ofMillis(60));
			try {
				for (int i = 0; i < WRITES; i++) {
					service.setBalance("background-" + i, BigDecimal.valueOf(i));
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> {
					assertThat(west.state()).isEqualTo(RegionState.UP);
					return replicator.replicated() - replicatedBefore >= WRITES && replicator.inFlight() == 0;
				});
				CircuitBreaker.Metrics metrics = west.circuitBreaker().getMetrics();
				assertThat(west.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
				assertThat(metrics.getNumberOfSlowCalls()).isZero();
				assertThat(metrics.getNumberOfFailedCalls()).isZero();
			}
			finally {
				regions.proxy("west").pass();
			}
		});
	}

}
