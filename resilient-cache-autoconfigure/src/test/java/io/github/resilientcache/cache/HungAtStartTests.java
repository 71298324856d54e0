package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A region that hangs before the application first uses it (its network path a black hole) holds
 * no call longer than the budget either, although its connections are being opened on first use.
 */
class HungAtStartTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.withProxies("east", "west");

	@Test
	void localRegionHungBeforeFirstUseNeverHoldsACallLongerThanTheBudget() {
		regions.proxy("east").blackhole();
		TestApplications.runner(regions, "east").run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			long longest = 0;
			for (int i = 0; i < 30; i++) {
				long start = System.nanoTime();
				if (i % 3 == 0) {
					service.setBalance("s" + (i % 5), BigDecimal.ONE);
				}
				else {
					assertThat(service.find("s" + (i % 5)).id()).isEqualTo("s" + (i % 5));
				}
				longest = Math.max(longest, System.nanoTime() - start);
			}
			System.out.printf("[figure] longest cached call while the local region hung from start: %d ms%n",
					TimeUnit.NANOSECONDS.toMillis(longest));
			assertThat(Duration.ofNanos(longest)).isLessThan(Duration.ofMillis(900));
		});
	}

}
