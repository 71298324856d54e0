package io.github.resilientcache.region;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Sends concurrent commands of one kind to one region together, as a multiplexing client does: a
 * command that finds fewer than {@code maxInFlight} commands on the wire goes out at once, alone;
 * one that finds them all busy waits in a queue, and the queue leaves as one batch (a multi-key
 * read, or a pipeline of script calls) the moment a command on the wire completes. A lone caller
 * therefore never waits for anyone; under concurrency, the server and the client handle one
 * batch instead of one command per caller, which Redisson's pooled connections (one command per
 * connection at a time) do not do by themselves.
 * <p>
 * Nothing here decides what a failure means: a batch that fails fails each of its commands, which
 * then count against the region's breaker one by one, as they would have alone, and every caller
 * keeps its own deadline (it stops waiting whatever the batch does). Commands of one batch may
 * reach the server in another order than they were submitted, as concurrent commands on pooled
 * connections always could: the versions in every write make the order irrelevant. Also used
 * outside the region package for background commands no caller waits for (the replay journal's
 * records, with a deadline of their own).
 * @param <R> what a command needs (a key, or a key and a script's arguments)
 * @param <V> what it answers
 */
public final class Pipeline<R, V> {

	/** The most commands one batch carries; the rest wait for the next. */
	static final int MAX_BATCH = 128;

	private final int maxInFlight;

	private final Function<R, CompletionStage<V>> single;

	private final Function<List<R>, CompletionStage<List<V>>> multi;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

	/**
	 * @param maxInFlight commands (or batches) on the wire at once before callers queue
	 * @param single sends one command
	 * @param multi sends several commands together, answering in their order
	 */
	public Pipeline(int maxInFlight, Function<R, CompletionStage<V>> single, Function<List<R>, CompletionStage<List<V>>> multi) {
		this.maxInFlight = maxInFlight;
		this.single = single;
		this.multi = multi;
	}

	/**
	 * Sends a command now if the wire has room, else queues it. A queued command whose caller's
	 * deadline ({@link CallDeadline}) passes before its batch leaves is never sent: it fails with a
	 * {@link TimeoutException}. Nor is one whose answer was cancelled or completed meanwhile.
	 * @param request the command
	 * @return its answer
	 */
	public CompletionStage<V> submit(R request) {
		return submit(request, CallDeadline.isSet(), CallDeadline.deadline());
	}

	/**
	 * {@link #submit(Object)} with a deadline of its own, for a command that no caller's call starts.
	 * @param request the command
	 * @param deadline past it, the command is not sent if still queued, in {@link System#nanoTime()} units
	 * @return its answer
	 */
	public CompletionStage<V> submit(R request, long deadline) {
		return submit(request, true, deadline);
	}

	private CompletionStage<V> submit(R request, boolean bounded, long deadline) {
		// Not ahead of commands already waiting: they leave first, in the order they came.
		if (this.queue.isEmpty() && tryAcquire()) {
			return sendSingle(request);
		}
		Pending<R, V> pending = new Pending<>(request, new CompletableFuture<>(), bounded, deadline);
		this.queue.add(pending);
		// The reads on the wire may all have completed between the check and the add.
		if (tryAcquire()) {
			drain();
		}
		return pending.result;
	}

	private boolean tryAcquire() {
		int current;
		do {
			current = this.inFlight.get();
			if (current >= this.maxInFlight) {
				return false;
			}
		}
		while (!this.inFlight.compareAndSet(current, current + 1));
		return true;
	}

	/** One command alone; gives its slot back when it completes, whatever the outcome. */
	private CompletionStage<V> sendSingle(R request) {
		CompletionStage<V> read;
		try {
			read = this.single.apply(request);
		}
		catch (RuntimeException ex) {
			read = CompletableFuture.failedFuture(ex);
		}
		return read.whenComplete((value, ex) -> release());
	}

	/** One slot on the wire is ours: send what waits as one batch, or give the slot back. */
	private void drain() {
		while (true) {
			List<Pending<R, V>> batch = new ArrayList<>();
			long now = System.nanoTime();
			for (Pending<R, V> pending; batch.size() < MAX_BATCH && (pending = this.queue.poll()) != null;) {
				// A caller that stopped waiting (its deadline passed, it cancelled) is not sent at all:
				// it has counted the region as failed and journaled its write, which arriving now
				// could only undo what a replay puts there since.
				if (pending.expired(now)) {
					pending.result.completeExceptionally(new TimeoutException("the caller's deadline passed while the command waited to be sent"));
				}
				else if (!pending.result.isDone()) {
					batch.add(pending);
				}
			}
			if (!batch.isEmpty()) {
				sendBatch(batch);
				return;
			}
			this.inFlight.decrementAndGet();
			// A read queued after the poll and before the decrement found every slot busy: take it.
			if (this.queue.isEmpty() || !tryAcquire()) {
				return;
			}
		}
	}

	private void sendBatch(List<Pending<R, V>> batch) {
		if (batch.size() == 1) {
			Pending<R, V> only = batch.get(0);
			complete(only, sendSingle(only.request));
			return;
		}
		List<R> requests = new ArrayList<>(batch.size());
		batch.forEach((pending) -> requests.add(pending.request));
		CompletionStage<List<V>> read;
		try {
			read = this.multi.apply(requests);
		}
		catch (RuntimeException ex) {
			read = CompletableFuture.failedFuture(ex);
		}
		read.whenComplete((values, ex) -> {
			// The slot first: the callers woken below may read again at once.
			release();
			for (int i = 0; i < batch.size(); i++) {
				if (ex != null) {
					batch.get(i).result.completeExceptionally(ex);
				}
				else {
					batch.get(i).result.complete(values.get(i));
				}
			}
		});
	}

	private static <R, V> void complete(Pending<R, V> pending, CompletionStage<V> read) {
		read.whenComplete((value, ex) -> {
			if (ex != null) {
				pending.result.completeExceptionally(ex);
			}
			else {
				pending.result.complete(value);
			}
		});
	}

	private void release() {
		this.inFlight.decrementAndGet();
		if (!this.queue.isEmpty() && tryAcquire()) {
			drain();
		}
	}

	int queued() {
		return this.queue.size();
	}

	/**
	 * A command waiting to be sent.
	 * @param request what it needs
	 * @param result its answer
	 * @param bounded whether its caller has a deadline
	 * @param deadline the caller's deadline, in {@link System#nanoTime()} units, where bounded
	 */
	private record Pending<R, V>(R request, CompletableFuture<V> result, boolean bounded, long deadline) {

		boolean expired(long now) {
			return this.bounded && now - this.deadline >= 0;
		}

	}

}
