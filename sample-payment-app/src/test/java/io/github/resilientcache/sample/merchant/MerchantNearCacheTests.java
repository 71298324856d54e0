package io.github.resilientcache.sample.merchant;

import java.math.BigDecimal;
import java.time.Duration;

import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.cache.NearCache;
import io.github.resilientcache.sample.account.AccountService;
import io.github.resilientcache.sample.support.PaymentAppTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Merchant limits are read from the near tier, and a change of limits is read at once by the
 * instance that made it; card status (accounts) keeps no near tier.
 */
@PaymentAppTest
class MerchantNearCacheTests {

	@Autowired
	private MerchantService merchants;

	@Autowired
	private AccountService accounts;

	@Autowired
	private MultiRegionCacheManager cacheManager;

	@Test
	void merchantLimitsAreServedFromTheNearTierAndAChangeIsReadAtOnce() {
		this.merchants.find("MER-2001");
		NearCache near = this.cacheManager.getNearCache("merchants");
		assertThat(near).isNotNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			long hits = near.hits();
			this.merchants.find("MER-2001");
			return near.hits() > hits;
		});
		BigDecimal limit = this.merchants.find("MER-2001").maxPaymentAmount().add(BigDecimal.ONE);
		this.merchants.changeLimits("MER-2001", limit);
		assertThat(this.merchants.find("MER-2001").maxPaymentAmount()).isEqualByComparingTo(limit);
	}

	@Test
	void cardStatusKeepsNoNearTier() {
		this.accounts.find("ACC-1006");
		assertThat(this.cacheManager.getNearCache("accounts")).isNull();
		assertThat(this.cacheManager.getNearCache("balances")).isNull();
	}

}
