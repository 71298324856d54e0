package io.github.resilientcache.sample.fx;

import java.util.Currency;
import java.util.Optional;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * FX rates, read through the multi-region {@code fx-rates} cache. A pair with no rate is cached too
 * (as an empty result), so that payments in an unsupported currency do not all reach the database.
 */
@Service
public class FxRates {

	private final FxRateRepository repository;

	public FxRates(FxRateRepository repository) {
		this.repository = repository;
	}

	/**
	 * The rate from one currency to another.
	 * @param base the currency converted from
	 * @param quote the currency converted to
	 * @return the rate, empty if the service does not convert between them
	 */
	@Cacheable(cacheNames = "fx-rates", key = "#base.currencyCode + ':' + #quote.currencyCode", sync = true)
	public Optional<FxRate> rate(Currency base, Currency quote) {
		if (base.equals(quote)) {
			return Optional.of(FxRate.identity(base));
		}
		return this.repository.rate(base, quote).map((rate) -> new FxRate(base, quote, rate));
	}

}
