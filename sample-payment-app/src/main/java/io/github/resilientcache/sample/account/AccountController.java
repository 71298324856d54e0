package io.github.resilientcache.sample.account;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST API of accounts. Errors are RFC 9457 problem details: 404 for an unknown account.
 */
@RestController
@RequestMapping("/accounts")
public class AccountController {

	private final AccountService accounts;

	public AccountController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/{id}")
	public AccountView get(@PathVariable String id) {
		return AccountView.of(this.accounts.find(id), this.accounts.balance(id));
	}

	@PostMapping("/{id}/card/block")
	public AccountView blockCard(@PathVariable String id) {
		return AccountView.of(this.accounts.changeCardStatus(id, CardStatus.BLOCKED), this.accounts.balance(id));
	}

	@PostMapping("/{id}/card/unblock")
	public AccountView unblockCard(@PathVariable String id) {
		return AccountView.of(this.accounts.changeCardStatus(id, CardStatus.ACTIVE), this.accounts.balance(id));
	}

}
