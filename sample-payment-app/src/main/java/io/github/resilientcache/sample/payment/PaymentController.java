package io.github.resilientcache.sample.payment;

import java.util.regex.Pattern;

import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * REST API of payments.
 * <p>
 * {@code POST /payments} answers {@code 201 Created} with the stored payment, approved or declined:
 * a decline is a business outcome (status {@code DECLINED} and a {@code declineReason}), stored
 * and replayed like an approval, never an error. A repeated Idempotency-Key answers
 * {@code 200 OK} with the first result and the header {@code Idempotent-Replayed: true}. Problems
 * (RFC 9457): 400 for an invalid request or a missing Idempotency-Key, 422 for an unknown account
 * or merchant or a key reused for another payment.
 */
@RestController
@RequestMapping("/payments")
public class PaymentController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	// Checked here rather than with @Pattern: a constraint on a parameter turns on method
	// validation, whose problem detail no longer names the body's invalid fields.
	private static final Pattern VALID_KEY = Pattern.compile("[A-Za-z0-9._:\\-]{1,100}");

	private final PaymentService payments;

	public PaymentController(PaymentService payments) {
		this.payments = payments;
	}

	@PostMapping
	public ResponseEntity<Payment> authorize(
			@RequestHeader(IDEMPOTENCY_KEY) String idempotencyKey, @Valid @RequestBody PaymentRequest request,
			UriComponentsBuilder uris) {
		if (!VALID_KEY.matcher(idempotencyKey).matches()) {
			throw PaymentProblem.invalidIdempotencyKey();
		}
		PaymentService.Authorization authorization = this.payments.authorize(idempotencyKey, request);
		Payment payment = authorization.payment();
		if (authorization.replayed()) {
			return ResponseEntity.ok().header("Idempotent-Replayed", "true").body(payment);
		}
		return ResponseEntity.created(uris.path("/payments/{id}").buildAndExpand(payment.id()).toUri()).body(payment);
	}

	@GetMapping("/{id}")
	public Payment get(@PathVariable String id) {
		return this.payments.find(id);
	}

}
