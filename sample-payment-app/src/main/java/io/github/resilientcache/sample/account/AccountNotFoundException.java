package io.github.resilientcache.sample.account;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No account has the requested id. Rendered as an RFC 9457 problem with status 404; never cached,
 * since {@code @Cacheable} caches nothing when the method throws.
 */
public class AccountNotFoundException extends ErrorResponseException {

	public AccountNotFoundException(String id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
	}

	private static ProblemDetail problem(String id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No account with id '" + id + "'.");
		problem.setTitle("Account not found");
		problem.setProperty("accountId", id);
		return problem;
	}

}
