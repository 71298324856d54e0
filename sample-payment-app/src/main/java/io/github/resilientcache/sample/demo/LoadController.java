package io.github.resilientcache.sample.demo;

import java.net.URI;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starts, reads and stops load runs ({@code demo} profile): {@code POST /demo/load?rate=200&seconds=60}
 * starts one (202 Accepted; 409 while another runs), {@code GET /demo/load} shows the current or
 * last run's figures (204 No Content before the first), {@code DELETE /demo/load} stops sending.
 */
@RestController
@RequestMapping("/demo/load")
@Profile("demo")
public class LoadController {

	private final LoadGenerator generator;

	public LoadController(LoadGenerator generator) {
		this.generator = generator;
	}

	@PostMapping
	public ResponseEntity<LoadFigures> start(@RequestParam(defaultValue = "200") int rate, @RequestParam(defaultValue = "60") int seconds) {
		if (rate < 1 || rate > LoadGenerator.MAX_RATE) {
			throw problem(HttpStatus.BAD_REQUEST, "Invalid request: rate must be 1 to " + LoadGenerator.MAX_RATE + " payments per second.");
		}
		if (seconds < 1 || seconds > LoadGenerator.MAX_SECONDS) {
			throw problem(HttpStatus.BAD_REQUEST, "Invalid request: seconds must be 1 to " + LoadGenerator.MAX_SECONDS + ".");
		}
		try {
			return ResponseEntity.accepted().location(URI.create("/demo/load")).body(this.generator.start(rate, seconds));
		}
		catch (IllegalStateException ex) {
			throw problem(HttpStatus.CONFLICT, ex.getMessage() + ": stop it (DELETE /demo/load) or wait for it to finish.");
		}
	}

	@GetMapping
	public ResponseEntity<LoadFigures> figures() {
		// No run yet is an expected state (the dashboard polls from the start), not an error.
		return this.generator.figures().map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build());
	}

	@DeleteMapping
	public LoadFigures stop() {
		return this.generator.stopRun().orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "No load run yet."));
	}

	private static ErrorResponseException problem(HttpStatus status, String detail) {
		return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

}
