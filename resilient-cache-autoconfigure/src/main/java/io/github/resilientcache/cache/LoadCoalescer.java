package io.github.resilientcache.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache.ValueRetrievalException;
import org.springframework.cache.Cache.ValueWrapper;

/**
 * Stampede protection of one cache: of the callers that miss the same key at the same time, one
 * runs the loader and the others get its outcome, whether they came through
 * {@code get(key, Callable)} (blocking) or {@code retrieve(key, Supplier)} (a future that holds no
 * thread while it waits). The scope is one application instance, like Spring's own caches.
 * <p>
 * The loader that took a key's place first reads the cache again: a load that finished between the
 * caller's miss and that moment stored its value, which is used instead of loading again.
 */
final class LoadCoalescer {

	private final ConcurrentHashMap<String, CompletableFuture<@Nullable Object>> loads = new ConcurrentHashMap<>();

	/**
	 * Loads a value on the calling thread, or waits for the load of the same key in flight.
	 * @param <T> the value type
	 * @param key the cache key, for the exception
	 * @param redisKey the key the loads are coalesced on
	 * @param read reads the cache again
	 * @param loader the caller's loader
	 * @param store stores a loaded value; may throw (a null the cache does not allow), which the
	 * caller gets as is, like Spring's caches do
	 * @return the value
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T load(Object key, String redisKey, Supplier<@Nullable ValueWrapper> read, Callable<T> loader,
			Consumer<@Nullable T> store) {
		CompletableFuture<@Nullable Object> load = new CompletableFuture<>();
		CompletableFuture<@Nullable Object> running = this.loads.putIfAbsent(redisKey, load);
		if (running != null) {
			try {
				return (T) running.get();
			}
			catch (ExecutionException ex) {
				Throwable cause = ex.getCause();
				throw (cause instanceof ValueRetrievalException retrieval) ? retrieval : new ValueRetrievalException(key, loader, cause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ValueRetrievalException(key, loader, ex);
			}
		}
		try {
			ValueWrapper cached = read.get();
			T value;
			if (cached != null) {
				value = (T) cached.get();
			}
			else {
				try {
					value = loader.call();
				}
				catch (Throwable ex) {
					throw new ValueRetrievalException(key, loader, ex);
				}
				store.accept(value);
			}
			load.complete(value);
			return value;
		}
		catch (Throwable ex) {
			// Any throwable, errors included, so that callers waiting for this load never hang.
			load.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.loads.remove(redisKey, load);
		}
	}

	/**
	 * Loads a value asynchronously, or joins the load of the same key in flight.
	 * @param <T> the value type
	 * @param redisKey the key the loads are coalesced on
	 * @param read reads the cache again
	 * @param loader the caller's loader
	 * @param store stores a loaded value; its future may fail (a null the cache does not allow),
	 * which fails the load
	 * @return the value
	 */
	@SuppressWarnings("unchecked")
	<T> CompletableFuture<T> loadAsync(String redisKey, Supplier<CompletableFuture<@Nullable ValueWrapper>> read,
			Supplier<CompletableFuture<T>> loader, Function<@Nullable T, CompletableFuture<?>> store) {
		CompletableFuture<@Nullable Object> load = new CompletableFuture<>();
		CompletableFuture<@Nullable Object> running = this.loads.putIfAbsent(redisKey, load);
		if (running != null) {
			// A copy: a caller that completes or cancels its future does not touch the others'.
			return (CompletableFuture<T>) running.thenApply(Function.identity());
		}
		CompletableFuture<T> loaded;
		try {
			loaded = read.get().thenCompose((cached) -> (cached != null) ? CompletableFuture.completedFuture((T) cached.get())
					: loader.get().thenCompose((value) -> store.apply(value).thenApply((stored) -> value)));
		}
		catch (Throwable ex) {
			loaded = CompletableFuture.failedFuture(ex);
		}
		loaded.whenComplete((value, ex) -> {
			// Removed before completing: a caller that sees the outcome and misses again starts afresh.
			this.loads.remove(redisKey, load);
			if (ex != null) {
				load.completeExceptionally(ex);
			}
			else {
				load.complete(value);
			}
		});
		return (CompletableFuture<T>) load.thenApply(Function.identity());
	}

}
