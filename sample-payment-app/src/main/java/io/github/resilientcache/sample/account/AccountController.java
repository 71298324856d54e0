package io.github.resilientcache.sample.account;

import jakarta.validation.Valid;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST API of accounts. Errors are RFC 9457 problem details: 404 for an unknown account, 400 for
 * an invalid body.
 */
@RestController
@RequestMapping("/accounts")
public class AccountController {

	private final AccountService accounts;

	public AccountController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/{id}")
	public Account get(@PathVariable String id) {
		return this.accounts.find(id);
	}

	@PostMapping("/{id}/block")
	public Account blockCard(@PathVariable String id) {
		return this.accounts.blockCard(id);
	}

	@PutMapping("/{id}/balance")
	public Account updateBalance(@PathVariable String id, @Valid @RequestBody BalanceUpdate update) {
		return this.accounts.updateBalance(id, update.amount());
	}

}
