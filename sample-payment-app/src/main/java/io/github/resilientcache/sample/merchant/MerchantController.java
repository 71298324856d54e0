package io.github.resilientcache.sample.merchant;

import jakarta.validation.Valid;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST API of merchants. Errors are RFC 9457 problem details: 404 for an unknown merchant, 400 for
 * an invalid body.
 */
@RestController
@RequestMapping("/merchants")
public class MerchantController {

	private final MerchantService merchants;

	public MerchantController(MerchantService merchants) {
		this.merchants = merchants;
	}

	@GetMapping("/{id}")
	public Merchant get(@PathVariable String id) {
		return this.merchants.find(id);
	}

	@PutMapping("/{id}/limits")
	public Merchant changeLimits(@PathVariable String id, @Valid @RequestBody LimitsUpdate update) {
		return this.merchants.changeLimits(id, update.maxPaymentAmount());
	}

}
