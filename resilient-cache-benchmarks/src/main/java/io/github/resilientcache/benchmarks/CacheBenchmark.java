package io.github.resilientcache.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Get-hit, get-miss, put and evict through Spring's {@link Cache} API and through a
 * {@code @Cacheable} proxy, for each {@link Contender}, on the same Redis servers. Sample time:
 * percentiles of single calls, and throughput from the mean (threads / mean time per call, exact
 * for this closed loop by Little's law).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheBenchmark {

	/** Keys read by the get-hit benchmarks, written before each trial. */
	static final int KEYS = 1024;

	@Param({ "starter-1", "starter-2-async", "starter-2-sync", "starter-2-near", "redisson", "redisson-nottl", "spring-data-redis" })
	public String contender;

	private ConfigurableApplicationContext context;

	private Cache cache;

	private AccountLookup service;

	private final String[] hitKeys = new String[KEYS];

	private final String[] writeKeys = new String[KEYS];

	private final Account[] values = new Account[KEYS];

	@Setup(Level.Trial)
	public void start() {
		for (int attempt = 1; ; attempt++) {
			if (tryStart()) {
				return;
			}
			this.context.close();
			if (attempt == 3) {
				throw new IllegalStateException(this.contender + " did not keep the entries written before the trial, in 3 attempts");
			}
		}
	}

	/**
	 * Starts the contender on flushed servers and writes the entries the get-hit benchmarks read.
	 * A busy shared machine can make the very first writes (new connections, cold code) outlast
	 * the starter's operation timeout: it then rightly stops trusting the region for those keys, so
	 * the trial starts again rather than measure misses as hits.
	 * @return whether every entry reads back
	 */
	private boolean tryStart() {
		// Every trial starts from empty servers: no contender reads another's entries or pays for its memory.
		RedisServers servers = RedisServers.fromSystemProperties();
		servers.flushAll();
		this.context = Contender.of(this.contender).start(servers, Contender.ErrorHandling.DEFAULT, 0, Duration.ofSeconds(2));
		this.cache = this.context.getBean(CacheManager.class).getCache("accounts");
		this.service = this.context.getBean(AccountLookup.class);
		for (int i = 0; i < 200; i++) {
			this.cache.get("warm-up");
		}
		for (int i = 0; i < KEYS; i++) {
			this.hitKeys[i] = "hit-" + i;
			this.writeKeys[i] = "write-" + i;
			this.values[i] = Account.of(this.writeKeys[i]);
			this.cache.put(this.hitKeys[i], Account.of(this.hitKeys[i]));
		}
		for (String key : this.hitKeys) {
			if (this.cache.get(key) == null) {
				return false;
			}
		}
		return true;
	}

	@TearDown(Level.Trial)
	public void stop(BenchmarkParams params) {
		String incident = incident(this.context);
		if (incident != null) {
			String benchmark = params.getBenchmark();
			Incidents.record(this.contender, benchmark.substring(benchmark.lastIndexOf('.') + 1), params.getThreads(), incident);
		}
		this.context.close();
	}

	/**
	 * What the starter did besides serving, if anything: on a starved machine a region can miss its
	 * timeout, and the starter then journals writes and fails over, which changes what the trial
	 * measured. Such trials are marked in the tables rather than silently mixed in.
	 * @param context a contender's application
	 * @return the description, {@code null} if every region stayed up and missed no write (and for
	 * the plain managers)
	 */
	static String incident(ConfigurableApplicationContext context) {
		if (context.getBeanNamesForType(Regions.class).length == 0) {
			return null;
		}
		ReplayJournal journal = context.getBean(ReplayJournal.class);
		StringBuilder out = new StringBuilder();
		for (Region region : context.getBean(Regions.class).all()) {
			long missed = journal.recorded(region);
			if (missed > 0 || region.state() != RegionState.UP) {
				out.append((out.length() > 0) ? "; " : "").append(region.name()).append(' ').append(region.state()).append(", ")
					.append(missed).append(" missed writes journaled");
			}
		}
		return (out.length() > 0) ? out.toString() : null;
	}

	/**
	 * Where each benchmark thread is in the key space.
	 */
	@State(Scope.Thread)
	public static class Cursor {

		private int next;

		private long misses;

		private final String missPrefix = "miss-" + Thread.currentThread().getId() + "-";

		int index() {
			this.next = (this.next + 1) & (KEYS - 1);
			return this.next;
		}

		String missKey() {
			return this.missPrefix + (this.misses++);
		}

	}

	@Benchmark
	public Object cacheGetHit(Cursor cursor) {
		return this.cache.get(this.hitKeys[cursor.index()]);
	}

	@Benchmark
	public Object cacheGetMiss(Cursor cursor) {
		return this.cache.get(cursor.missKey());
	}

	@Benchmark
	public void cachePut(Cursor cursor) {
		int i = cursor.index();
		this.cache.put(this.writeKeys[i], this.values[i]);
	}

	@Benchmark
	public void cacheEvict(Cursor cursor) {
		this.cache.evict(this.writeKeys[cursor.index()]);
	}

	@Benchmark
	public Object cacheableGetHit(Cursor cursor) {
		return this.service.find(this.hitKeys[cursor.index()]);
	}

	@Benchmark
	public Object cacheableGetMiss(Cursor cursor) {
		return this.service.findUncached(cursor.missKey());
	}

	@Benchmark
	public Object cacheablePut(Cursor cursor) {
		return this.service.update(this.writeKeys[cursor.index()]);
	}

	@Benchmark
	public void cacheableEvict(Cursor cursor) {
		this.service.evict(this.writeKeys[cursor.index()]);
	}

}
