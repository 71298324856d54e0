package io.github.resilientcache.sample.merchant;

import java.math.BigDecimal;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Merchants, read through the multi-region {@code merchants} cache; a change of limits writes the
 * committed merchant to the cache (see {@link MerchantCacheUpdates}).
 */
@Service
public class MerchantService {

	private final MerchantRepository repository;

	private final ApplicationEventPublisher events;

	public MerchantService(MerchantRepository repository, ApplicationEventPublisher events) {
		this.repository = repository;
		this.events = events;
	}

	/**
	 * Reads a merchant: from the cache when it holds it, else from the database.
	 * @param id the merchant id
	 * @return the merchant
	 * @throws MerchantNotFoundException if there is no such merchant
	 */
	@Cacheable(cacheNames = "merchants", sync = true)
	public Merchant find(String id) {
		return this.repository.find(id).orElseThrow(() -> new MerchantNotFoundException(id));
	}

	/**
	 * Sets the merchant's largest single payment.
	 * @param id the merchant id
	 * @param maxPaymentAmount the new limit, in the merchant's currency
	 * @return the merchant as committed
	 * @throws MerchantNotFoundException if there is no such merchant
	 */
	@Transactional
	public Merchant changeLimits(String id, BigDecimal maxPaymentAmount) {
		if (!this.repository.setMaxPaymentAmount(id, maxPaymentAmount)) {
			throw new MerchantNotFoundException(id);
		}
		Merchant merchant = this.repository.find(id).orElseThrow(() -> new MerchantNotFoundException(id));
		this.events.publishEvent(new MerchantChanged(merchant));
		return merchant;
	}

}
