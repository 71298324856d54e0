package io.github.resilientcache.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * A {@link RegionRecoveryAction} that POSTs each incident as JSON to a URL: a runbook automation,
 * an alert manager, a chat hook. Bounded: a connect timeout, a timeout per attempt and a number of
 * retries with doubling back-off, only for what a retry can fix (no answer, 408, 429, 5xx). Each
 * request carries {@code Idempotency-Key: <incident id>-<phase>}, and with a coordination secret
 * {@code X-Resilient-Cache-Signature: sha256=<HMAC of the body>} so that the receiver can check it
 * came from the fleet. The URL is logged without its user info, query or fragment, which may hold
 * tokens.
 */
public final class WebhookRecoveryAction implements RegionRecoveryAction {

	private static final Log logger = LogFactory.getLog(WebhookRecoveryAction.class);

	private final URI url;

	private final Duration timeout;

	private final int retries;

	private final Duration backoff;

	private final Signer signer;

	private final HttpClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Creates the action.
	 * @param url where to POST
	 * @param connectTimeout longest wait to connect
	 * @param timeout longest wait for one attempt's response
	 * @param retries attempts after the first one, for failures a retry can fix
	 * @param backoff wait before the first retry, doubled for each next one
	 * @param secret the coordination secret that signs the body, {@code null} for none
	 */
	public WebhookRecoveryAction(URI url, Duration connectTimeout, Duration timeout, int retries, Duration backoff, @Nullable String secret) {
		Assert.notNull(url, "'url' must not be null");
		Assert.isTrue(retries >= 0, "'retries' must not be negative");
		this.url = url;
		this.timeout = timeout;
		this.retries = retries;
		this.backoff = backoff;
		this.signer = new Signer(secret);
		this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
	}

	@Override
	public void regionFailed(RegionIncident incident) throws Exception {
		post("region-failed", incident);
	}

	@Override
	public void regionRecovered(RegionIncident incident) throws Exception {
		post("region-recovered", incident);
	}

	private void post(String event, RegionIncident incident) throws IOException, InterruptedException {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("event", event);
		payload.put("incident", incident);
		String body = this.json.writeValueAsString(payload);
		HttpRequest.Builder request = HttpRequest.newBuilder(this.url).timeout(this.timeout).header("Content-Type", "application/json")
			.header("Idempotency-Key", incident.id() + "-" + incident.phase()).POST(HttpRequest.BodyPublishers.ofString(body));
		String signature = this.signer.hmacOf(body);
		if (signature != null) {
			request.header("X-Resilient-Cache-Signature", "sha256=" + signature);
		}
		String failure = "";
		for (int attempt = 0; attempt <= this.retries; attempt++) {
			if (attempt > 0) {
				Thread.sleep(this.backoff.toMillis() << Math.min(attempt - 1, 10));
			}
			try {
				int status = this.client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status >= 200 && status < 300) {
					logger.info("Webhook " + describe(this.url) + " accepted " + event + " of incident " + incident.id());
					return;
				}
				failure = "HTTP " + status;
				if (status < 500 && status != 408 && status != 429) {
					break;
				}
			}
			catch (IOException ex) {
				failure = ex.getClass().getSimpleName();
			}
		}
		throw new IOException("Webhook " + describe(this.url) + " did not accept " + event + " of incident " + incident.id() + ": " + failure);
	}

	/**
	 * The URL without user info, query or fragment.
	 * @param url the URL
	 * @return what may be logged
	 */
	static String describe(URI url) {
		return url.getScheme() + "://" + url.getHost() + ((url.getPort() >= 0) ? ":" + url.getPort() : "") + ((url.getPath() != null) ? url.getPath() : "");
	}

}
