package io.github.resilientcache.benchmarks;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.EmbeddedRedis;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * The cost of protecting a cache of cardholder data: get (hit) and put through Spring's {@link Cache} API on the starter with
 * one region, for a plain cache, a cache with AES-GCM values, and one with AES-GCM values and HMAC-hashed keys, all three on
 * the same Redis server in one JVM.
 * <p>
 * Not JMH: JMH measures one method after the other, and on a shared machine whose load moves by a factor of two within a
 * minute the ratio of two such measurements says more about the neighbours than about encryption. Here the variants take
 * turns in short rounds (each round: the same keys, each variant in turn, in an order rotated every round), and a ratio is
 * the median over rounds of the per-round ratio, so that a burst of load hits the variants of a round alike.
 */
public final class EncryptionBenchmark implements AutoCloseable {

	private static final int KEYS = 1024;

	private static final String[] VARIANTS = { "plain", "AES-GCM values", "AES-GCM values + HMAC keys" };

	private final EmbeddedRedis server;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final Cache[] caches = new Cache[VARIANTS.length];

	private final String[] keys = new String[KEYS];

	private final Account[] values = new Account[KEYS];

	private long missed;

	private EncryptionBenchmark() {
		this.server = EmbeddedRedis.start("bench-encryption");
		RedisServers servers = new RedisServers(this.server.address(), this.server.address());
		String aesKey = randomKey(32);
		this.contexts.add(start(servers, "bench-plain"));
		this.contexts.add(start(servers, "bench-encrypted", "resilient-cache.caches.accounts.encryption.keys.k1=" + aesKey));
		this.contexts.add(start(servers, "bench-protected", "resilient-cache.caches.accounts.encryption.keys.k1=" + aesKey,
				"resilient-cache.caches.accounts.key-protection.secret=" + randomKey(32)));
		for (int v = 0; v < VARIANTS.length; v++) {
			this.caches[v] = this.contexts.get(v).getBean(CacheManager.class).getCache("accounts");
		}
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "4111" + String.format("%012d", i);
			this.values[i] = Account.of(this.keys[i]);
			for (Cache cache : this.caches) {
				cache.put(this.keys[i], this.values[i]);
			}
		}
		// On a busy machine a write can outlast the region's timeout: no region took it, so it is
		// repaired as a delete. Such keys are written again until every one reads back: hits only.
		await("every entry written before the run to read back").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Arrays.stream(this.caches).allMatch(this::allPresent));
	}

	private static ConfigurableApplicationContext start(RedisServers servers, String name, String... properties) {
		String[] all = new String[properties.length + 1];
		all[0] = "spring.application.name=" + name;
		System.arraycopy(properties, 0, all, 1, properties.length);
		return Contender.STARTER_ONE_REGION.start(servers, Contender.ErrorHandling.DEFAULT, 0, all);
	}

	private boolean allPresent(Cache cache) {
		boolean all = true;
		for (int i = 0; i < KEYS; i++) {
			if (cache.get(this.keys[i]) == null) {
				cache.put(this.keys[i], this.values[i]);
				all = false;
			}
		}
		return all;
	}

	private static String randomKey(int bytes) {
		byte[] key = new byte[bytes];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	/** Mean nanoseconds per call of {@code calls} gets (or puts) of one variant, keys in turn. */
	private double round(int variant, boolean put, int calls, int offset) {
		Cache cache = this.caches[variant];
		long misses = 0;
		long start = System.nanoTime();
		for (int n = 0; n < calls; n++) {
			int i = (offset + n) & (KEYS - 1);
			if (put) {
				cache.put(this.keys[i], this.values[i]);
			}
			else if (cache.get(this.keys[i]) == null) {
				misses++;
			}
		}
		long elapsed = System.nanoTime() - start;
		if (misses > 0) {
			this.missed += misses;
		}
		return (double) elapsed / calls;
	}

	/** What the starter did besides serving: journaled writes (a timeout on the busy machine) and missed gets. */
	private String incidents() {
		StringBuilder out = new StringBuilder();
		for (ConfigurableApplicationContext context : this.contexts) {
			long journaled = context.getBean(ReplayJournal.class).recorded(context.getBean(Regions.class).get("east"));
			if (journaled > 0) {
				out.append(context.getEnvironment().getProperty("spring.application.name")).append(": ").append(journaled)
					.append(" writes journaled after a timeout; ");
			}
		}
		if (this.missed > 0) {
			out.append(this.missed).append(" gets missed");
		}
		return out.toString();
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.server.close();
	}

	/**
	 * Medians over the rounds of one run: microseconds per call, and ratios to the plain cache.
	 * @param getMicros get (hit) per variant: plain, AES-GCM, AES-GCM + HMAC keys
	 * @param putMicros put per variant
	 * @param getRatios per-round ratio to plain (median), per variant
	 * @param putRatios per-round ratio to plain (median), per variant
	 * @param rounds the rounds measured
	 * @param incidents what disturbed the run, empty if nothing
	 */
	record Figures(double[] getMicros, double[] putMicros, double[] getRatios, double[] putRatios, int rounds, String incidents) {

		double encryptedGetRatio() {
			return this.getRatios[1];
		}

		double encryptedPutRatio() {
			return this.putRatios[1];
		}

		double protectedGetRatio() {
			return this.getRatios[2];
		}

		double protectedPutRatio() {
			return this.putRatios[2];
		}

	}

	static Figures run(boolean quick) {
		int rounds = quick ? 3 : 40;
		int calls = quick ? 200 : 2_000;
		try (EncryptionBenchmark benchmark = new EncryptionBenchmark()) {
			// Warm-up: every path compiled before anything is measured.
			for (int w = 0; w < (quick ? 1 : 5); w++) {
				for (int v = 0; v < VARIANTS.length; v++) {
					benchmark.round(v, false, calls, 0);
					benchmark.round(v, true, calls, 0);
				}
			}
			benchmark.missed = 0;
			double[][] gets = new double[VARIANTS.length][rounds];
			double[][] puts = new double[VARIANTS.length][rounds];
			for (int r = 0; r < rounds; r++) {
				for (int k = 0; k < VARIANTS.length; k++) {
					int v = (r + k) % VARIANTS.length;
					gets[v][r] = benchmark.round(v, false, calls, r * calls);
					puts[v][r] = benchmark.round(v, true, calls, r * calls);
				}
			}
			double[] getMicros = new double[VARIANTS.length];
			double[] putMicros = new double[VARIANTS.length];
			double[] getRatios = new double[VARIANTS.length];
			double[] putRatios = new double[VARIANTS.length];
			for (int v = 0; v < VARIANTS.length; v++) {
				getMicros[v] = Spread.median(gets[v]) / 1_000;
				putMicros[v] = Spread.median(puts[v]) / 1_000;
				getRatios[v] = Spread.ofRatios(gets[v], gets[0]).median();
				putRatios[v] = Spread.ofRatios(puts[v], puts[0]).median();
			}
			Figures figures = new Figures(getMicros, putMicros, getRatios, putRatios, rounds, benchmark.incidents());
			for (int v = 0; v < VARIANTS.length; v++) {
				System.out.printf("[benchmark] encryption: %-27s get %7.1f us (%.2fx plain), put %7.1f us (%.2fx plain)%n", VARIANTS[v],
						getMicros[v], getRatios[v], putMicros[v], putRatios[v]);
			}
			System.out.printf("[benchmark] encryption: medians of %d rounds of %d calls per variant%s%n", rounds, calls,
					figures.incidents().isEmpty() ? "" : "; incidents: " + figures.incidents());
			return figures;
		}
	}

}
