package io.github.resilientcache.sample.payment;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A payment request that cannot be processed, as an RFC 9457 problem: a well-formed request that
 * names an account or merchant that does not exist or reuses an Idempotency-Key for another
 * payment (422), an amount with too many decimals for its currency (400), or an unknown payment
 * id (404). Nothing is stored for them, so a corrected request may reuse its Idempotency-Key.
 */
public class PaymentProblem extends ErrorResponseException {

	private PaymentProblem(HttpStatus status, String type, String title, String detail) {
		super(status, problem(status, type, title, detail), null);
	}

	static PaymentProblem unknownAccount(String id) {
		PaymentProblem problem = new PaymentProblem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-account", "Unknown account",
				"No account with id '" + id + "'.");
		problem.getBody().setProperty("accountId", id);
		return problem;
	}

	static PaymentProblem unknownMerchant(String id) {
		PaymentProblem problem = new PaymentProblem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-merchant", "Unknown merchant",
				"No merchant with id '" + id + "'.");
		problem.getBody().setProperty("merchantId", id);
		return problem;
	}

	static PaymentProblem idempotencyKeyReused(String key, Payment stored) {
		PaymentProblem problem = new PaymentProblem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
				"Idempotency-Key already used",
				"Idempotency-Key '" + key + "' was used for another payment (" + stored.id()
						+ "); a retry must repeat the same account, merchant, amount and currency.");
		problem.getBody().setProperty("paymentId", stored.id());
		return problem;
	}

	static PaymentProblem tooManyDecimals(PaymentRequest request) {
		return new PaymentProblem(HttpStatus.BAD_REQUEST, "invalid-amount", "Bad Request", "Invalid request content: amount "
				+ request.amount().toPlainString() + " has more decimals than " + request.currency() + " allows ("
				+ Math.max(request.currencyUnit().getDefaultFractionDigits(), 0) + ").");
	}

	static PaymentProblem invalidIdempotencyKey() {
		return new PaymentProblem(HttpStatus.BAD_REQUEST, "invalid-idempotency-key", "Bad Request",
				"Invalid request: the Idempotency-Key header must be 1 to 100 letters, digits or '.', '_', ':', '-'.");
	}

	static PaymentProblem notFound(String id) {
		PaymentProblem problem = new PaymentProblem(HttpStatus.NOT_FOUND, "payment-not-found", "Payment not found",
				"No payment with id '" + id + "'.");
		problem.getBody().setProperty("paymentId", id);
		return problem;
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create("urn:problem:payments:" + type));
		problem.setTitle(title);
		return problem;
	}

}
