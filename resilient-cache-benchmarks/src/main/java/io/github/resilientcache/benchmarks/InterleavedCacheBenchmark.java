package io.github.resilientcache.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.github.resilientcache.replication.Replicator;
import io.github.resilientcache.test.EmbeddedRedis;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * The hot path in interleaved rounds: every contender runs in this one JVM against the same two
 * Redis servers, all are warmed first, and then each round measures every contender once, in an
 * order that rotates from round to round (A B C, B C A, C A B, ...), for a short closed-loop
 * window. Each figure is the median over the rounds of the contender's ratio to the baseline
 * <em>in the same round</em>, with its min-max: a quiet or busy moment of a shared machine moves
 * every contender of that round, not one column, so it cancels out of the ratio.
 * <p>
 * Per window: calls, the latency of every call (p50, p99) and the bytes the measuring threads
 * allocated (JMH's {@code gc.alloc.rate.norm}, from the JVM's per-thread allocation counters).
 * After the rounds: the client heap retained per cached entry, for each contender.
 * <p>
 * Settings (system properties): {@code benchmark.quick} (2 rounds of 100 ms, for CI),
 * {@code benchmark.rounds} (default 12), {@code benchmark.round-ms} (default 400),
 * {@code benchmark.methods}, {@code benchmark.contenders}, {@code benchmark.threads} (default
 * {@code 1,8}), {@code benchmark.baseline} (default {@code redisson}).
 */
final class InterleavedCacheBenchmark {

	static final int KEYS = 1024;

	/** Entries written to measure the client heap that each cached entry retains. */
	static final int MEMORY_ENTRIES = 20_000;

	private InterleavedCacheBenchmark() {
	}

	/**
	 * What one measuring window does with a contender's cache or its {@code @Cacheable} service.
	 */
	enum Operation {

		CACHE_GET_HIT("cacheGetHit", "get-hit", true), CACHE_GET_MISS("cacheGetMiss", "get-miss", true), CACHE_PUT("cachePut", "put", true),
		CACHE_EVICT("cacheEvict", "evict", true), CACHEABLE_GET_HIT("cacheableGetHit", "get-hit", false),
		CACHEABLE_PUT("cacheablePut", "put", false), CACHEABLE_EVICT("cacheableEvict", "evict", false);

		final String id;

		final String title;

		final boolean api;

		Operation(String id, String title, boolean api) {
			this.id = id;
			this.title = title;
			this.api = api;
		}

		static Operation of(String id) {
			return Arrays.stream(values())
				.filter((operation) -> operation.id.equals(id))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("Unknown method '" + id + "': use one of "
						+ Arrays.stream(values()).map((operation) -> operation.id).toList()));
		}

	}

	/**
	 * What to run.
	 * @param quick CI's smoke mode
	 * @param rounds measured rounds
	 * @param roundMillis length of one contender's window in a round
	 * @param operations the operations
	 * @param contenders the contenders, the baseline among them
	 * @param threads thread counts
	 * @param baseline the contender every ratio is taken to
	 */
	record Settings(boolean quick, int rounds, int roundMillis, List<Operation> operations, List<Contender> contenders, List<Integer> threads,
			Contender baseline) {

		Settings {
			if (!contenders.contains(baseline)) {
				throw new IllegalArgumentException("The baseline " + baseline.id() + " must be one of the contenders " + contenders);
			}
		}

		static Settings fromSystemProperties() {
			boolean quick = Boolean.getBoolean("benchmark.quick");
			List<Operation> operations = list("benchmark.methods", quick ? "cacheGetHit,cachePut" : "").stream().map(Operation::of).toList();
			List<Contender> contenders = list("benchmark.contenders", "starter-1,starter-2-async,starter-2-sync,redisson,spring-data-redis")
				.stream()
				.map(Contender::of)
				.toList();
			List<Integer> threads = list("benchmark.threads", "1,8").stream().map(Integer::valueOf).toList();
			return new Settings(quick, Integer.getInteger("benchmark.rounds", quick ? 2 : 12), Integer.getInteger("benchmark.round-ms", quick ? 100 : 400),
					operations.isEmpty() ? List.of(Operation.values()) : operations, contenders, threads,
					Contender.of(property("benchmark.baseline", "redisson")));
		}

		private static List<String> list(String name, String fallback) {
			String value = property(name, fallback);
			return value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).toList();
		}

		private static String property(String name, String fallback) {
			String value = System.getProperty(name);
			// exec:exec passes unset Maven properties as "${...}" or empty.
			return (value == null || value.isBlank() || value.startsWith("${")) ? fallback : value;
		}

	}

	/**
	 * One contender's window in one round.
	 * @param calls calls completed
	 * @param seconds length of the window
	 * @param p50Nanos median call
	 * @param p99Nanos 99th percentile call
	 * @param allocatedBytes bytes allocated by the measuring threads
	 * @param errors calls that threw
	 * @param cpuSeconds CPU time of this JVM and both Redis servers during the window
	 * @param serverCpuSeconds the part of it both Redis servers used
	 */
	record Window(long calls, double seconds, long p50Nanos, long p99Nanos, long allocatedBytes, long errors, double cpuSeconds,
			double serverCpuSeconds) {

		double callsPerSecond() {
			return this.calls / this.seconds;
		}

		double bytesPerCall() {
			return (this.calls > 0) ? (double) this.allocatedBytes / this.calls : 0;
		}

	}

	/**
	 * A contender's figures for one operation and thread count.
	 * @param contender the contender
	 * @param operation the operation
	 * @param threads threads
	 * @param throughput calls/s as ratios to the baseline of the same round
	 * @param p50 median latency as ratios to the baseline of the same round
	 * @param p99 99th percentile as ratios to the baseline of the same round
	 * @param callsPerSecond calls/s, median of the rounds (absolute, for scale)
	 * @param p50Micros median latency, median of the rounds
	 * @param p99Micros 99th percentile, median of the rounds
	 * @param bytesPerCall allocation per call, median of the rounds
	 * @param cpuMicrosPerCall CPU time of this JVM and both Redis servers per call, over all rounds
	 * (the JVM's idle contenders add a little to every contender alike)
	 * @param serverCpuMicrosPerCall the part of it both Redis servers used
	 * @param errors calls that threw, over all rounds
	 * @param incident what the starter did besides serving during the rounds, if anything
	 */
	record Cell(Contender contender, Operation operation, int threads, Spread throughput, Spread p50, Spread p99, double callsPerSecond,
			double p50Micros, double p99Micros, double bytesPerCall, double cpuMicrosPerCall, double serverCpuMicrosPerCall, long errors, @Nullable String incident) {
	}

	/**
	 * The outcome of a run.
	 * @param settings what ran
	 * @param cells the figures
	 * @param heapPerEntry client heap retained per cached entry, in bytes, by contender
	 * @param load the machine's load average at the start and at the end
	 */
	record Result(Settings settings, List<Cell> cells, Map<Contender, Double> heapPerEntry, String load) {

		@Nullable Cell cell(Contender contender, Operation operation, int threads) {
			return this.cells.stream()
				.filter((cell) -> cell.contender() == contender && cell.operation() == operation && cell.threads() == threads)
				.findFirst()
				.orElse(null);
		}

	}

	static Result run(Settings settings) throws Exception {
		String loadBefore = loadAverage();
		try (EmbeddedRedis east = EmbeddedRedis.start("bench-east"); EmbeddedRedis west = EmbeddedRedis.start("bench-west")) {
			RedisServers servers = RedisServers.of(east, west);
			Map<Contender, Subject> subjects = new LinkedHashMap<>();
			try {
				long[] serverPids = { east.pid(), west.pid() };
				for (Contender contender : settings.contenders()) {
					subjects.put(contender, Subject.start(contender, servers, serverPids));
				}
				List<Cell> cells = new ArrayList<>();
				for (int threads : settings.threads()) {
					for (Operation operation : settings.operations()) {
						cells.addAll(measure(settings, subjects, operation, threads));
					}
				}
				Map<Contender, Double> heap = new LinkedHashMap<>();
				for (Subject subject : subjects.values()) {
					heap.put(subject.contender, subject.heapPerEntry(settings.quick() ? 200 : MEMORY_ENTRIES));
				}
				return new Result(settings, cells, heap, loadBefore + " at the start, " + loadAverage() + " at the end");
			}
			finally {
				subjects.values().forEach(Subject::close);
			}
		}
	}

	private static List<Cell> measure(Settings settings, Map<Contender, Subject> subjects, Operation operation, int threads) throws Exception {
		List<Contender> order = new ArrayList<>(subjects.keySet());
		subjects.values().forEach(Subject::markIncident);
		// Warm every contender on this operation first: JIT, connections, and for writes the keys.
		for (Contender contender : order) {
			subjects.get(contender).window(operation, threads, settings.roundMillis());
		}
		Map<Contender, List<Window>> windows = new EnumMap<>(Contender.class);
		for (int round = 0; round < settings.rounds(); round++) {
			for (int i = 0; i < order.size(); i++) {
				Contender contender = order.get((round + i) % order.size());
				windows.computeIfAbsent(contender, (c) -> new ArrayList<>()).add(subjects.get(contender).window(operation, threads, settings.roundMillis()));
			}
		}
		List<Window> base = windows.get(settings.baseline());
		List<Cell> cells = new ArrayList<>();
		for (Contender contender : order) {
			List<Window> own = windows.get(contender);
			cells.add(new Cell(contender, operation, threads, ratios(own, base, Window::callsPerSecond),
					ratios(own, base, (w) -> w.p50Nanos()), ratios(own, base, (w) -> w.p99Nanos()),
					median(own, Window::callsPerSecond), median(own, (w) -> w.p50Nanos() / 1e3), median(own, (w) -> w.p99Nanos() / 1e3),
					median(own, Window::bytesPerCall), own.stream().mapToDouble(Window::cpuSeconds).sum() * 1e6 / own.stream().mapToLong(Window::calls).sum(),
					own.stream().mapToDouble(Window::serverCpuSeconds).sum() * 1e6 / own.stream().mapToLong(Window::calls).sum(),
					own.stream().mapToLong(Window::errors).sum(), subjects.get(contender).incident()));
		}
		return cells;
	}

	private static Spread ratios(List<Window> own, List<Window> base, ToDoubleFunction<Window> figure) {
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < own.size(); round++) {
			ratios.add(figure.applyAsDouble(own.get(round)) / figure.applyAsDouble(base.get(round)));
		}
		return Spread.of(ratios);
	}

	private static double median(List<Window> windows, ToDoubleFunction<Window> figure) {
		return Spread.of(windows.stream().map(figure::applyAsDouble).toList()).median();
	}

	static String loadAverage() {
		return String.format(Locale.ROOT, "load average %.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

	/**
	 * A running contender: its application, its cache and its {@code @Cacheable} service, and the
	 * keys and values it works on.
	 */
	static final class Subject implements AutoCloseable {

		private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

		final Contender contender;

		private final ConfigurableApplicationContext context;

		private final Cache cache;

		private final AccountLookup service;

		private final String[] hitKeys = new String[KEYS];

		private final String[] writeKeys = new String[KEYS];

		private final Account[] values = new Account[KEYS];

		private final long[] serverPids;

		private long missSequence;

		private Subject(Contender contender, ConfigurableApplicationContext context, long[] serverPids) {
			this.contender = contender;
			this.serverPids = serverPids;
			this.context = context;
			this.cache = context.getBean(CacheManager.class).getCache("accounts");
			this.service = context.getBean(AccountLookup.class);
			for (int i = 0; i < KEYS; i++) {
				this.hitKeys[i] = "hit-" + i;
				this.writeKeys[i] = "write-" + i;
				this.values[i] = Account.of(this.writeKeys[i]);
			}
		}

		static Subject start(Contender contender, RedisServers servers, long[] serverPids) {
			// Its own key prefix: the starters share the servers with each other, not their keys.
			ConfigurableApplicationContext context = contender.start(servers, Contender.ErrorHandling.DEFAULT, 0, Duration.ofSeconds(2),
					"resilient-cache.key-prefix=bench-" + contender.id());
			Subject subject = new Subject(contender, context, serverPids);
			for (int attempt = 1; !subject.hitKeysReadBack(); attempt++) {
				// A busy machine can make the very first writes outlast the starter's timeout: write again.
				if (attempt == 3) {
					subject.close();
					throw new IllegalStateException(contender.id() + " did not keep the entries written before the rounds, in 3 attempts");
				}
			}
			return subject;
		}

		private boolean hitKeysReadBack() {
			try {
				for (int i = 0; i < KEYS; i++) {
					this.cache.put(this.hitKeys[i], Account.of(this.hitKeys[i]));
				}
				return Arrays.stream(this.hitKeys).allMatch((key) -> this.cache.get(key) != null);
			}
			catch (RuntimeException ex) {
				// A plain manager throws what the starter turns into a miss: a command timed out on the busy machine.
				System.out.println("[benchmark] " + this.contender.id() + " failed to write the entries the rounds read (" + ex + "); again");
				return false;
			}
		}

		Window window(Operation operation, int threads, int millis) throws InterruptedException {
			// What earlier windows left to collect is collected before this one, outside every window's CPU: a full
			// collection costs about the live heap of the whole JVM (every contender's context), not what one window
			// made, and charged to a window it would weigh most on the contender with the fewest calls.
			System.gc();
			Worker[] workers = new Worker[threads];
			CountDownLatch ready = new CountDownLatch(threads);
			CountDownLatch go = new CountDownLatch(1);
			long missBase = this.missSequence;
			this.missSequence += 100_000_000L;
			for (int t = 0; t < threads; t++) {
				workers[t] = new Worker(this, operation, t * (KEYS / threads), missBase + t * 10_000_000L, ready, go);
				workers[t].start();
			}
			ready.await();
			double cpuBefore = cpu();
			double serverCpuBefore = serverCpu();
			long start = System.nanoTime();
			go.countDown();
			TimeUnit.MILLISECONDS.sleep(millis);
			for (Worker worker : workers) {
				worker.running = false;
			}
			long calls = 0;
			long errors = 0;
			long allocated = 0;
			int samples = 0;
			for (Worker worker : workers) {
				worker.join();
				calls += worker.calls;
				errors += worker.errors;
				allocated += worker.allocated;
				samples += worker.samples;
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			settle();
			double cpuSeconds = cpu() - cpuBefore;
			double serverCpuSeconds = serverCpu() - serverCpuBefore;
			long[] latencies = new long[samples];
			int at = 0;
			for (Worker worker : workers) {
				System.arraycopy(worker.latencies, 0, latencies, at, worker.samples);
				at += worker.samples;
			}
			Arrays.sort(latencies);
			return new Window(calls, seconds, percentile(latencies, 0.50), percentile(latencies, 0.99), allocated, errors, cpuSeconds, serverCpuSeconds);
		}

		/**
		 * Lets the work a contender left behind in its window finish before the next contender's
		 * window starts, and counts its CPU in this window's (not in its throughput): the starter's
		 * background replications may still be in flight when the window ends, and so may Spring
		 * Data Redis's cache writes, which its callers do not wait for (their CPU lands in its window,
		 * their time does not: its put and evict throughput is of writes queued, not completed). The
		 * garbage a window left is collected before the next window starts. Before both, with Spring Data
		 * in the run (a PING on its blocking connection, not the reactive one its writes take), up to
		 * 88,000 of its writes were still queued when its window ended, the heap grew to 900 MB with
		 * 100-250 ms pauses in whoever's window they fell, Redisson's CPU per put rose from 107 to 249
		 * us, and the starter's put fell from 0.94-1.00x to 0.52-0.55x of Redisson's.
		 */
		private void settle() {
			if (this.contender == Contender.SPRING_DATA_REDIS) {
				// Spring Data Redis 4 writes a cache entry through its reactive connection and does not wait for
				// it (the cache writer's asynchronous writes): a PING there answers after what it still carries.
				try (ReactiveRedisConnection connection = this.context.getBean(ReactiveRedisConnectionFactory.class).getReactiveConnection()) {
					connection.ping().block(Duration.ofSeconds(30));
				}
			}
			Replicator replicator = this.context.getBeanProvider(Replicator.class).getIfAvailable();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (replicator != null && replicator.inFlight() > 0 && System.nanoTime() - deadline < 0) {
				java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}

		private double cpu() {
			return CpuTime.ofThisProcess() + serverCpu();
		}

		private double serverCpu() {
			double seconds = 0;
			for (long pid : this.serverPids) {
				seconds += CpuTime.of(pid);
			}
			return seconds;
		}

		private static long percentile(long[] sorted, double quantile) {
			return (sorted.length == 0) ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
		}

		private void call(Operation operation, int index, long miss) {
			switch (operation) {
				case CACHE_GET_HIT -> this.cache.get(this.hitKeys[index]);
				case CACHE_GET_MISS -> this.cache.get("miss-" + miss);
				case CACHE_PUT -> this.cache.put(this.writeKeys[index], this.values[index]);
				case CACHE_EVICT -> this.cache.evict(this.writeKeys[index]);
				case CACHEABLE_GET_HIT -> this.service.find(this.hitKeys[index]);
				case CACHEABLE_PUT -> this.service.update(this.writeKeys[index]);
				case CACHEABLE_EVICT -> this.service.evict(this.writeKeys[index]);
			}
		}

		/**
		 * The client heap each cached entry keeps: the heap in use after a full collection, after
		 * writing and reading back {@code entries} entries and again after as many more, divided by
		 * their number. The first batch takes the one-time costs (pools, caches of the client), so
		 * that what grows with the second is what an entry keeps.
		 */
		double heapPerEntry(int entries) {
			writeAndRead("memory-a-", entries);
			long before = usedHeapAfterGc();
			writeAndRead("memory-b-", entries);
			long after = usedHeapAfterGc();
			return (double) (after - before) / entries;
		}

		private void writeAndRead(String prefix, int entries) {
			for (int i = 0; i < entries; i++) {
				this.cache.put(prefix + i, Account.of(prefix + i));
			}
			for (int i = 0; i < entries; i++) {
				this.cache.get(prefix + i);
			}
		}

		private static long usedHeapAfterGc() {
			Runtime runtime = Runtime.getRuntime();
			long used = Long.MAX_VALUE;
			// The smallest of a few readings: a collection can leave a concurrent allocation in the heap.
			for (int i = 0; i < 5; i++) {
				System.gc();
				used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
			}
			return used;
		}

		private @Nullable String incidentMark;

		/** Remembers what the starter had done besides serving so far: a cell reports only what it adds. */
		void markIncident() {
			this.incidentMark = CacheBenchmark.incident(this.context);
		}

		@Nullable String incident() {
			String now = CacheBenchmark.incident(this.context);
			return (now == null || now.equals(this.incidentMark)) ? null : now;
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	/**
	 * One measuring thread: calls the operation in a closed loop, timing every call.
	 */
	private static final class Worker extends Thread {

		private final Subject subject;

		private final Operation operation;

		private final CountDownLatch ready;

		private final CountDownLatch go;

		private int index;

		private long miss;

		volatile boolean running = true;

		long calls;

		long errors;

		long allocated;

		long[] latencies = new long[16_384];

		int samples;

		Worker(Subject subject, Operation operation, int firstIndex, long firstMiss, CountDownLatch ready, CountDownLatch go) {
			super("bench-" + subject.contender.id());
			setDaemon(true);
			this.subject = subject;
			this.operation = operation;
			this.index = firstIndex;
			this.miss = firstMiss;
			this.ready = ready;
			this.go = go;
		}

		@Override
		public void run() {
			this.ready.countDown();
			try {
				this.go.await();
			}
			catch (InterruptedException ex) {
				return;
			}
			long allocatedBefore = Subject.THREADS.getCurrentThreadAllocatedBytes();
			while (this.running) {
				this.index = (this.index + 1) & (KEYS - 1);
				long start = System.nanoTime();
				try {
					this.subject.call(this.operation, this.index, this.miss++);
				}
				catch (RuntimeException ex) {
					this.errors++;
				}
				long took = System.nanoTime() - start;
				if (this.samples == this.latencies.length) {
					this.latencies = Arrays.copyOf(this.latencies, this.samples * 2);
				}
				this.latencies[this.samples++] = took;
				this.calls++;
			}
			// Minus what the recording itself allocated (the latency array as it grew).
			this.allocated = Subject.THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore - 8L * (this.latencies.length - 16_384);
		}

	}

	/**
	 * The result as Markdown tables: per thread count and API, throughput, p50 and p99 as the
	 * median (min-max) of the per-round ratios to the baseline; then the baseline's own figures,
	 * the allocation per call and the client heap per entry.
	 */
	static String tables(Result result) {
		Settings settings = result.settings();
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "%d interleaved rounds of %d ms per contender and cell; baseline %s; %s%n%n", settings.rounds(),
				settings.roundMillis(), settings.baseline().id(), result.load()));
		for (int threads : settings.threads()) {
			for (boolean api : new boolean[] { true, false }) {
				List<Operation> operations = settings.operations().stream().filter((operation) -> operation.api == api).toList();
				if (operations.isEmpty()) {
					continue;
				}
				out.append(String.format(Locale.ROOT, "#### %s, %d thread%s: throughput / p50 / p99, ratio to %s, median (min-max) of %d rounds%n%n",
						api ? "Spring Cache API" : "@Cacheable proxy", threads, threads == 1 ? "" : "s", settings.baseline().id(), settings.rounds()));
				out.append("| contender |");
				operations.forEach((operation) -> out.append(' ').append(operation.title).append(" |"));
				out.append("\n|---|");
				operations.forEach((operation) -> out.append("---|"));
				out.append('\n');
				for (Contender contender : settings.contenders()) {
					out.append("| ").append(contender.id()).append(" |");
					for (Operation operation : operations) {
						Cell cell = result.cell(contender, operation, threads);
						out.append(' ')
							.append(cell.throughput().ratio())
							.append(" / ")
							.append(String.format(Locale.ROOT, "%.2f / %.2f", cell.p50().median(), cell.p99().median()))
							.append((cell.incident() != null || cell.errors() > 0) ? " (!)" : "")
							.append(" |");
					}
					out.append('\n');
				}
				out.append('\n');
			}
		}
		out.append("#### The baseline's own figures (").append(settings.baseline().id()).append("): calls/s, p50 and p99 in microseconds\n\n");
		out.append("| operation | threads | calls/s | p50 | p99 |\n|---|---|---|---|---|\n");
		for (int threads : settings.threads()) {
			for (Operation operation : settings.operations()) {
				Cell cell = result.cell(settings.baseline(), operation, threads);
				out.append(String.format(Locale.ROOT, "| %s %s | %d | %,.0f | %.0f | %.0f |%n", operation.api ? "Cache API" : "@Cacheable",
						operation.title, threads, cell.callsPerSecond(), cell.p50Micros(), cell.p99Micros()));
			}
		}
		List<String> columns = new ArrayList<>();
		for (int threads : settings.threads()) {
			for (Operation operation : settings.operations()) {
				columns.add((operation.api ? "" : "@C ") + operation.title + ", " + threads + "t");
			}
		}
		matrix(out, "Allocation per call, bytes (median of the rounds)", columns, settings, (contender, operation, threads) -> String
			.format(Locale.ROOT, "%,.0f", result.cell(contender, operation, threads).bytesPerCall()));
		matrix(out, "CPU per call (this JVM and both Redis servers, all rounds), microseconds: total (ratio to " + settings.baseline().id()
				+ ") and the servers' part", columns, settings, (contender, operation, threads) -> {
					Cell cell = result.cell(contender, operation, threads);
					double base = result.cell(settings.baseline(), operation, threads).cpuMicrosPerCall();
					return String.format(Locale.ROOT, "%.0f (%.2f), servers %.0f", cell.cpuMicrosPerCall(), cell.cpuMicrosPerCall() / base,
							cell.serverCpuMicrosPerCall());
				});
		out.append("\n#### Client heap retained per cached entry, bytes\n\n| contender | bytes per entry |\n|---|---|\n");
		result.heapPerEntry().forEach((contender, bytes) -> out.append(String.format(Locale.ROOT, "| %s | %,.0f |%n", contender.id(), bytes)));
		List<String> marks = new ArrayList<>();
		for (Cell cell : result.cells()) {
			if (cell.incident() != null || cell.errors() > 0) {
				marks.add(String.format(Locale.ROOT, "- (!) %s %s %s, %d threads: %d errors%s", cell.contender().id(),
						cell.operation().api ? "Cache API" : "@Cacheable", cell.operation().title, cell.threads(), cell.errors(),
						(cell.incident() != null) ? "; " + cell.incident() : ""));
			}
		}
		if (!marks.isEmpty()) {
			out.append('\n').append(String.join("\n", marks)).append('\n');
		}
		return out.toString();
	}


	/** A table with a row per contender and a column per operation and thread count. */
	private static void matrix(StringBuilder out, String title, List<String> columns, Settings settings, CellText text) {
		out.append("\n#### ").append(title).append("\n\n| contender |");
		columns.forEach((column) -> out.append(' ').append(column).append(" |"));
		out.append("\n|---|");
		columns.forEach((column) -> out.append("---|"));
		out.append('\n');
		for (Contender contender : settings.contenders()) {
			out.append("| ").append(contender.id()).append(" |");
			for (int threads : settings.threads()) {
				for (Operation operation : settings.operations()) {
					out.append(' ').append(text.of(contender, operation, threads)).append(" |");
				}
			}
			out.append('\n');
		}
	}

	/** What one cell of a {@link #matrix} shows. */
	@FunctionalInterface
	private interface CellText {

		String of(Contender contender, Operation operation, int threads);

	}

}
