package io.github.resilientcache.sample.merchant;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No merchant has the requested id: an RFC 9457 problem with status 404. Never cached.
 */
public class MerchantNotFoundException extends ErrorResponseException {

	private final String merchantId;

	public MerchantNotFoundException(String id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
		this.merchantId = id;
	}

	public String getMerchantId() {
		return this.merchantId;
	}

	private static ProblemDetail problem(String id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No merchant with id '" + id + "'.");
		problem.setTitle("Merchant not found");
		problem.setProperty("merchantId", id);
		return problem;
	}

}
