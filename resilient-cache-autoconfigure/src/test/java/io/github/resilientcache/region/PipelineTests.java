package io.github.resilientcache.region;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batching of concurrent commands, as pure logic: the commands are futures completed by the
 * test (the same batching against real servers is in {@link RegionStoreTests} and
 * {@link ClusterRegionStoreTests}).
 */
class PipelineTests {

	private final List<CompletableFuture<String>> singles = new ArrayList<>();

	private final List<List<String>> batches = new ArrayList<>();

	private final List<CompletableFuture<List<String>>> batchResults = new ArrayList<>();

	private final Pipeline<String, String> pipeline = new Pipeline<>(1, (key) -> {
		CompletableFuture<String> result = new CompletableFuture<>();
		this.singles.add(result);
		return result;
	}, (keys) -> {
		this.batches.add(keys);
		CompletableFuture<List<String>> result = new CompletableFuture<>();
		this.batchResults.add(result);
		return result;
	});

	@Test
	void aLoneCallerIsSentAtOnceAndAlone() {
		CompletableFuture<String> first = this.pipeline.submit("a").toCompletableFuture();
		this.singles.get(0).complete("A");
		CompletableFuture<String> second = this.pipeline.submit("b").toCompletableFuture();
		this.singles.get(1).complete("B");

		assertThat(first).isCompletedWithValue("A");
		assertThat(second).isCompletedWithValue("B");
		assertThat(this.batches).isEmpty();
	}

	@Test
	void callersThatFindTheWireBusyLeaveTogetherAsItFrees() {
		CompletableFuture<String> first = this.pipeline.submit("a").toCompletableFuture();
		List<CompletableFuture<String>> queued = List.of("b", "c", "d").stream().map((key) -> this.pipeline.submit(key).toCompletableFuture()).toList();
		assertThat(this.batches).as("nothing leaves while the wire is busy").isEmpty();
		assertThat(queued).allSatisfy((future) -> assertThat(future).isNotDone());

		this.singles.get(0).complete("A");

		assertThat(first).isCompletedWithValue("A");
		assertThat(this.batches).containsExactly(List.of("b", "c", "d"));
		this.batchResults.get(0).complete(List.of("B", "C", "D"));
		assertThat(queued).extracting(CompletableFuture::join).containsExactly("B", "C", "D");
	}

	@Test
	void aQueuedCommandWhoseCallerStoppedWaitingIsNeverSent() {
		this.pipeline.submit("a");
		CompletableFuture<String> abandoned = this.pipeline.submit("b").toCompletableFuture();
		CompletableFuture<String> waiting = this.pipeline.submit("c").toCompletableFuture();
		CompletableFuture<String> alsoAbandoned = this.pipeline.submit("d").toCompletableFuture();
		abandoned.cancel(false);
		alsoAbandoned.cancel(false);

		this.singles.get(0).complete("A");

		assertThat(this.batches).isEmpty();
		assertThat(this.singles).as("the one caller still waiting is sent alone").hasSize(2);
		this.singles.get(1).complete("C");
		assertThat(waiting).isCompletedWithValue("C");
	}

	@Test
	void aQueuedCommandWhoseCallersDeadlinePassedIsNeverSentEvenIfNobodyCancelledIt() {
		// What a business call does: it starts the command with its deadline, and may wait on a
		// dependent future (a thenApply), so that the queued command itself is never cancelled.
		this.pipeline.submit("a");
		long now = System.nanoTime();
		CompletableFuture<String> late = CallDeadline.with(now - 1, (store) -> this.pipeline.submit("b"), null).toCompletableFuture();
		CompletableFuture<String> onTime = CallDeadline.with(now + TimeUnit.MINUTES.toNanos(1), (store) -> this.pipeline.submit("c"), null)
			.toCompletableFuture();
		CompletableFuture<String> background = this.pipeline.submit("d").toCompletableFuture();

		this.singles.get(0).complete("A");

		assertThat(this.batches).as("only the callers still within their deadline, and background work, are sent").containsExactly(List.of("c", "d"));
		assertThatThrownBy(late::join).hasCauseInstanceOf(TimeoutException.class);
		this.batchResults.get(0).complete(List.of("C", "D"));
		assertThat(onTime).isCompletedWithValue("C");
		assertThat(background).isCompletedWithValue("D");
	}

	@Test
	void aFailedBatchFailsEachOfItsCommandsAndFreesTheWire() {
		this.pipeline.submit("a");
		CompletableFuture<String> b = this.pipeline.submit("b").toCompletableFuture();
		CompletableFuture<String> c = this.pipeline.submit("c").toCompletableFuture();
		this.singles.get(0).complete("A");
		this.batchResults.get(0).completeExceptionally(new IllegalStateException("connection reset"));

		assertThatThrownBy(b::join).hasRootCauseMessage("connection reset");
		assertThatThrownBy(c::join).hasRootCauseMessage("connection reset");
		CompletableFuture<String> after = this.pipeline.submit("e").toCompletableFuture();
		assertThat(this.singles).as("the next caller is sent at once").hasSize(2);
		this.singles.get(1).complete("E");
		assertThat(after).isCompletedWithValue("E");
	}

	@Test
	void aCommandThatThrowsWhenSentFailsItsCallerAndFreesTheWire() {
		Pipeline<String, String> throwing = new Pipeline<>(1, (key) -> {
			if (key.equals("bad")) {
				throw new IllegalArgumentException("bad key");
			}
			return CompletableFuture.completedFuture(key.toUpperCase());
		}, (keys) -> CompletableFuture.completedFuture(keys.stream().map(String::toUpperCase).toList()));

		assertThatThrownBy(() -> throwing.submit("bad").toCompletableFuture().join()).hasRootCauseMessage("bad key");
		assertThat(throwing.submit("ok").toCompletableFuture().join()).isEqualTo("OK");
	}

	@Test
	void noCommandIsLostOrAnsweredWithAnothersResultUnderConcurrency() throws Exception {
		int maxInFlight = 2;
		AtomicInteger onTheWire = new AtomicInteger();
		AtomicInteger mostOnTheWire = new AtomicInteger();
		ExecutorService server = Executors.newFixedThreadPool(3);
		ConcurrentLinkedQueue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
		Pipeline<String, String> concurrent = new Pipeline<>(maxInFlight,
				(key) -> answerLater(server, onTheWire, mostOnTheWire, () -> "v:" + key),
				(keys) -> {
					batchSizes.add(keys.size());
					return answerLater(server, onTheWire, mostOnTheWire, () -> keys.stream().map((key) -> "v:" + key).toList());
				});
		int threads = 8;
		int perThread = 5_000;
		ExecutorService callers = Executors.newFixedThreadPool(threads);
		List<CompletableFuture<List<CompletionStage<String>>>> submitted = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			submitted.add(CompletableFuture.supplyAsync(() -> {
				List<CompletionStage<String>> results = new ArrayList<>();
				for (int i = 0; i < perThread; i++) {
					results.add(concurrent.submit(thread + "-" + i));
				}
				return results;
			}, callers));
		}
		for (int t = 0; t < threads; t++) {
			List<CompletionStage<String>> results = submitted.get(t).get(30, TimeUnit.SECONDS);
			for (int i = 0; i < perThread; i++) {
				assertThat(results.get(i).toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("v:" + t + "-" + i);
			}
		}
		callers.shutdown();
		server.shutdown();
		assertThat(mostOnTheWire.get()).isLessThanOrEqualTo(maxInFlight);
		assertThat(batchSizes).as("callers that found the wire busy left in batches").isNotEmpty().allSatisfy((size) -> assertThat(size)
			.isBetween(2, Pipeline.MAX_BATCH));
		assertThat(concurrent.queued()).isZero();
	}

	private static <T> CompletableFuture<T> answerLater(ExecutorService server, AtomicInteger onTheWire, AtomicInteger mostOnTheWire,
			java.util.function.Supplier<T> answer) {
		mostOnTheWire.accumulateAndGet(onTheWire.incrementAndGet(), Math::max);
		return CompletableFuture.supplyAsync(() -> {
			onTheWire.decrementAndGet();
			return answer.get();
		}, server);
	}

}
