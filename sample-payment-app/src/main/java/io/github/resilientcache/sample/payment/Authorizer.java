package io.github.resilientcache.sample.payment;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;

import io.github.resilientcache.sample.account.Account;
import io.github.resilientcache.sample.account.AccountNotFoundException;
import io.github.resilientcache.sample.account.AccountService;
import io.github.resilientcache.sample.fx.FxRate;
import io.github.resilientcache.sample.fx.FxRates;
import io.github.resilientcache.sample.merchant.Merchant;
import io.github.resilientcache.sample.merchant.MerchantNotFoundException;
import io.github.resilientcache.sample.merchant.MerchantService;

import org.springframework.stereotype.Component;

/**
 * The checks of an authorization that need reference data only, all read through the cache:
 * card status, FX conversion and the merchant's limit. Runs outside any transaction, so that no
 * database connection waits while a cache read fails over.
 */
@Component
class Authorizer {

	private final AccountService accounts;

	private final MerchantService merchants;

	private final FxRates rates;

	Authorizer(AccountService accounts, MerchantService merchants, FxRates rates) {
		this.accounts = accounts;
		this.merchants = merchants;
		this.rates = rates;
	}

	/**
	 * Decides what can be decided before the debit.
	 * @param request the request
	 * @return the quote
	 * @throws PaymentProblem if the account or merchant does not exist (422)
	 */
	Quote quote(PaymentRequest request) {
		Account account = account(request.accountId());
		Merchant merchant = merchant(request.merchantId());
		Currency currency = request.currencyUnit();
		Optional<FxRate> toAccount = rate(currency, account.currency());
		if (account.cardBlocked()) {
			return new Quote(request, account, toAccount.orElse(null), DeclineReason.CARD_BLOCKED);
		}
		Optional<FxRate> toMerchant = rate(currency, merchant.currency());
		if (toAccount.isEmpty() || toMerchant.isEmpty()) {
			return new Quote(request, account, toAccount.orElse(null), DeclineReason.CURRENCY_NOT_SUPPORTED);
		}
		BigDecimal inMerchantCurrency = toMerchant.get().convert(request.amount());
		if (inMerchantCurrency.compareTo(merchant.maxPaymentAmount()) > 0) {
			return new Quote(request, account, toAccount.get(), DeclineReason.MERCHANT_LIMIT_EXCEEDED);
		}
		return new Quote(request, account, toAccount.get(), null);
	}

	private Optional<FxRate> rate(Currency from, Currency to) {
		// No cache round trip for the common case of a payment in the account's own currency.
		return from.equals(to) ? Optional.of(FxRate.identity(from)) : this.rates.rate(from, to);
	}

	private Account account(String id) {
		try {
			return this.accounts.find(id);
		}
		catch (AccountNotFoundException ex) {
			throw PaymentProblem.unknownAccount(id);
		}
	}

	private Merchant merchant(String id) {
		try {
			return this.merchants.find(id);
		}
		catch (MerchantNotFoundException ex) {
			throw PaymentProblem.unknownMerchant(id);
		}
	}

}
