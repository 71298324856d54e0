package io.github.resilientcache.sample.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilientcache.sample.account.AccountRepository;
import io.github.resilientcache.sample.merchant.Merchant;
import io.github.resilientcache.sample.merchant.MerchantRepository;
import io.github.resilientcache.sample.merchant.MerchantService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Drives payments at a set rate through the service's own HTTP API, as clients would, with a
 * unique Idempotency-Key each, over every account and merchant in the database, and counts what
 * comes back. Open loop: payments are sent on schedule whatever the latency, so that a slow
 * region shows as latency and in-flight payments rather than as a lower rate.
 * <p>
 * Threads: one scheduler thread ({@code load-generator}) sends every 10 ms what is due and logs
 * progress every 5 s; the HTTP client's answers are handled on a pool of 4 threads
 * ({@code load-http}). At most {@value #MAX_IN_FLIGHT} payments are in flight; past that a
 * payment is not sent and counts as an error. A run stops by itself; the generator stops first
 * when the application shuts down, before the web server drains its requests.
 */
@Component
@Profile("demo")
public class LoadGenerator implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

	static final int MAX_RATE = 2000;

	static final int MAX_SECONDS = 3600;

	private static final int MAX_IN_FLIGHT = 2000;

	private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(LoadGenerator.class);

	private final AccountRepository accounts;

	private final MerchantRepository merchantIds;

	private final MerchantService merchants;

	private final JsonMapper json;

	private final AtomicInteger runs = new AtomicInteger();

	private volatile @Nullable LoadRun current;

	private volatile @Nullable URI paymentsUri;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ExecutorService httpExecutor;

	private @Nullable HttpClient http;

	private @Nullable ScheduledFuture<?> sending;

	private @Nullable ScheduledFuture<?> progress;

	public LoadGenerator(AccountRepository accounts, MerchantRepository merchantIds, MerchantService merchants, JsonMapper json) {
		this.accounts = accounts;
		this.merchantIds = merchantIds;
		this.merchants = merchants;
		this.json = json;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() == null) {
			this.paymentsUri = URI.create("http://127.0.0.1:" + event.getWebServer().getPort() + "/payments");
		}
	}

	/**
	 * Starts a run.
	 * @param rate payments per second
	 * @param seconds how long to send
	 * @return the run's first figures
	 * @throws IllegalStateException if a run is active or the generator is stopped
	 */
	public synchronized LoadFigures start(int rate, int seconds) {
		LoadRun active = this.current;
		if (active != null && active.isActive()) {
			throw new IllegalStateException("Load run " + active.number() + " is still " + active.state());
		}
		ScheduledExecutorService scheduler = this.scheduler;
		URI uri = this.paymentsUri;
		if (scheduler == null || uri == null) {
			throw new IllegalStateException("The load generator is not running (the application is starting or stopping)");
		}
		List<String> accountIds = this.accounts.ids();
		List<Merchant> merchantPool = this.merchantIds.ids().stream().map(this.merchants::find).toList();
		if (accountIds.isEmpty() || merchantPool.isEmpty()) {
			throw new IllegalStateException("No accounts or merchants to pay with: the database holds none");
		}
		LoadRun run = new LoadRun(this.runs.incrementAndGet(), rate, seconds);
		this.current = run;
		Traffic traffic = new Traffic(uri, accountIds, merchantPool, "load-" + run.number() + "-" + Long.toHexString(System.nanoTime()));
		this.sending = scheduler.scheduleAtFixedRate(() -> send(run, traffic), 0, 10, TimeUnit.MILLISECONDS);
		this.progress = scheduler.scheduleAtFixedRate(() -> logger.info(run.figures().describe()), PROGRESS_INTERVAL.toMillis(),
				PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		logger.info("Load run " + run.number() + " started: " + rate + " payments/s for " + seconds + " s over " + accountIds.size()
				+ " accounts and " + merchantPool.size() + " merchants");
		return run.figures();
	}

	/**
	 * The figures of the current (or last) run.
	 * @return the figures, empty before the first run
	 */
	public Optional<LoadFigures> figures() {
		LoadRun run = this.current;
		return (run != null) ? Optional.of(run.figures()) : Optional.empty();
	}

	/**
	 * Stops the current run: nothing more is sent; the payments in flight still complete.
	 * @return the figures, empty before the first run
	 */
	public synchronized Optional<LoadFigures> stopRun() {
		LoadRun run = this.current;
		if (run != null && run.isActive()) {
			finish(run, "STOPPED");
		}
		return figures();
	}

	private void send(LoadRun run, Traffic traffic) {
		try {
			if (!run.isDue()) {
				if ("RUNNING".equals(run.state())) {
					run.state("DRAINING");
				}
				if (run.inFlight() == 0 || run.elapsedNanos() > (run.seconds() * 1_000_000_000L + REQUEST_TIMEOUT.toNanos() * 2)) {
					finish(run, "FINISHED");
				}
				return;
			}
			long due = run.dueCount();
			while (run.sent() < due) {
				long sequence = run.nextSequence();
				if (run.inFlight() > MAX_IN_FLIGHT) {
					run.notSent("overload", "more than " + MAX_IN_FLIGHT + " payments in flight");
					continue;
				}
				sendOne(run, traffic, sequence);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Load generator failed to send", ex);
		}
	}

	private void sendOne(LoadRun run, Traffic traffic, long sequence) {
		HttpClient client = this.http;
		if (client == null) {
			run.notSent("transport", "HTTP client closed");
			return;
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String account = traffic.accounts().get(random.nextInt(traffic.accounts().size()));
		Merchant merchant = traffic.merchants().get(random.nextInt(traffic.merchants().size()));
		BigDecimal amount = BigDecimal.valueOf(random.nextInt(100, 6000), 2).setScale(2, RoundingMode.UNNECESSARY);
		String body = "{\"accountId\":\"" + account + "\",\"merchantId\":\"" + merchant.id() + "\",\"amount\":" + amount.toPlainString()
				+ ",\"currency\":\"" + merchant.currency().getCurrencyCode() + "\"}";
		HttpRequest request = HttpRequest.newBuilder(traffic.uri())
			.timeout(REQUEST_TIMEOUT)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", traffic.keyPrefix() + "-" + sequence)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		long start = System.nanoTime();
		client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, ex) -> {
			long nanos = System.nanoTime() - start;
			if (ex != null) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				run.failed((cause instanceof HttpTimeoutException) ? "timeout" : "transport", cause.toString(), nanos);
			}
			else {
				record(run, response, nanos);
			}
		});
	}

	private void record(LoadRun run, HttpResponse<String> response, long nanos) {
		int status = response.statusCode();
		if (status != 200 && status != 201) {
			run.failed((status >= 500) ? "5xx" : "4xx", "HTTP " + status + ": " + response.body(), nanos);
			return;
		}
		try {
			JsonNode payment = this.json.readTree(response.body());
			if ("APPROVED".equals(payment.path("status").asString())) {
				run.approved(nanos);
			}
			else {
				run.declined(payment.path("declineReason").asString("UNKNOWN"), nanos);
			}
		}
		catch (RuntimeException ex) {
			run.failed("5xx", "unreadable answer: " + ex.getMessage(), nanos);
		}
	}

	private synchronized void finish(LoadRun run, String state) {
		if (!run.isActive()) {
			return;
		}
		run.state(state);
		cancel(this.sending);
		cancel(this.progress);
		LoadFigures figures = run.figures();
		if (figures.errors() > 0) {
			logger.warn(figures.describe() + "; last error: " + figures.lastError());
		}
		else {
			logger.info(figures.describe());
		}
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	@Override
	public synchronized void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> daemon(runnable, "load-generator"));
		AtomicInteger threads = new AtomicInteger();
		this.httpExecutor = Executors.newFixedThreadPool(4, (runnable) -> daemon(runnable, "load-http-" + threads.incrementAndGet()));
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.executor(this.httpExecutor)
			.build();
	}

	@Override
	public synchronized void stop() {
		LoadRun run = this.current;
		if (run != null && run.isActive()) {
			finish(run, "STOPPED");
		}
		shutdown(this.scheduler);
		shutdown(this.httpExecutor);
		this.scheduler = null;
		this.httpExecutor = null;
		this.http = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * Stops before the web server's graceful shutdown (a lower phase), so that a run in progress
	 * does not send payments into a server that is draining.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	private static void shutdown(@Nullable ExecutorService executor) {
		if (executor == null) {
			return;
		}
		executor.shutdownNow();
		try {
			executor.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	/**
	 * What a run sends: where, to whom, and the prefix of its Idempotency-Keys.
	 */
	private record Traffic(URI uri, List<String> accounts, List<Merchant> merchants, String keyPrefix) {
	}

}
