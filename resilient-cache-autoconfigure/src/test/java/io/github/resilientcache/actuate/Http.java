package io.github.resilientcache.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;

/**
 * A small JSON client over the JDK's {@link HttpClient}, for tests against a running application.
 */
final class Http {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final String baseUrl;

	Http(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path)).timeout(TIMEOUT).GET().build());
	}

	Response post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	HttpClient client() {
		return this.client;
	}

	String baseUrl() {
		return this.baseUrl;
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response.
	 * @param status the HTTP status
	 * @param body the body
	 */
	record Response(int status, String body) {

		<T> T json(String path) {
			return JsonPath.read(this.body, path);
		}

	}

}
