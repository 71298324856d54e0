package io.github.resilientcache.sample.demo;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /demo/load} before the first run: no content, not an error, so that the dashboard,
 * which polls it from the start, fills no console with 404s.
 */
class LoadControllerTests {

	@Test
	void figuresBeforeTheFirstRunAreNoContent() {
		LoadController controller = new LoadController(new LoadGenerator(null, null, null, null));
		assertThat(controller.figures().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(controller.figures().getBody()).isNull();
	}

}
