package io.github.resilientcache.sample.merchant;

/**
 * Published inside the transaction that changed a merchant; the cache is updated after it commits.
 * @param merchant the merchant as the transaction left it
 */
public record MerchantChanged(Merchant merchant) {
}
