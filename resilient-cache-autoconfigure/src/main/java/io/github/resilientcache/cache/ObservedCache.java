package io.github.resilientcache.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;

/**
 * A cache whose every operation is a Micrometer {@link Observation} named
 * {@value #NAME}, with low-cardinality key values only: {@code cache}, {@code operation},
 * {@code region} (the region that answered, {@code none} when none did, {@code unknown} for the
 * asynchronous {@code retrieve}) and {@code outcome} ({@code hit}, {@code miss}, {@code success} or
 * {@code error}). With tracing on, each is a span. Used only when the application has a real
 * {@link ObservationRegistry}: without one the cache is not wrapped and pays nothing.
 * <p>
 * The region is learnt from the {@link CacheOperationTimer} call that every synchronous operation
 * makes on the caller's thread before returning: {@link #served(String)} puts it in the observation
 * of that thread.
 * <p>
 * A read the near tier serves is not observed: it costs a fraction of a microsecond, which an
 * observation (a timer sample, maybe a span) would multiply several times. It is counted in the
 * near tier's hits (and Spring Boot's {@code cache.gets}) instead.
 */
final class ObservedCache implements Cache {

	static final String NAME = "resilient.cache.operation";

	private static final ThreadLocal<Observation.@Nullable Context> CURRENT = new ThreadLocal<>();

	private final Cache delegate;

	private final ObservationRegistry registry;

	/** The delegate when it may keep a near tier, whose hits are not observed. */
	private final @Nullable MultiRegionCache regional;

	ObservedCache(Cache delegate, ObservationRegistry registry) {
		this.delegate = delegate;
		this.registry = registry;
		this.regional = (delegate instanceof MultiRegionCache cache && cache.nearCache() != null) ? cache : null;
	}

	private @Nullable ValueWrapper nearHit(Object key) {
		MultiRegionCache cache = this.regional;
		return (cache != null) ? cache.nearHit(key) : null;
	}

	/**
	 * Tells the observation of the calling thread, if any, which region served its operation; the
	 * first region told wins (a load's read comes before its write).
	 * @param region the region name
	 */
	static void served(String region) {
		Observation.Context context = CURRENT.get();
		if (context != null && context.getLowCardinalityKeyValue("region") == null) {
			context.addLowCardinalityKeyValue(KeyValue.of("region", region));
		}
	}

	Cache delegate() {
		return this.delegate;
	}

	@Override
	public String getName() {
		return this.delegate.getName();
	}

	@Override
	public Object getNativeCache() {
		return this.delegate.getNativeCache();
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		ValueWrapper hit = nearHit(key);
		if (hit != null) {
			return hit;
		}
		return observe("get", () -> this.delegate.get(key), (wrapper) -> (wrapper != null) ? "hit" : "miss");
	}

	@SuppressWarnings("unchecked")
	@Override
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		ValueWrapper hit = nearHit(key);
		if (hit != null) {
			Object value = hit.get();
			if (value != null && type != null && !type.isInstance(value)) {
				// As AbstractValueAdaptingCache does.
				throw new IllegalStateException("Cached value is not of required type [" + type.getName() + "]: " + value);
			}
			return (T) value;
		}
		return observe("get", () -> this.delegate.get(key, type), (value) -> (value != null) ? "hit" : "miss");
	}

	@SuppressWarnings("unchecked")
	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		ValueWrapper hit = nearHit(key);
		if (hit != null) {
			return (T) hit.get();
		}
		boolean[] loaded = new boolean[1];
		Callable<T> loader = () -> {
			loaded[0] = true;
			return valueLoader.call();
		};
		return observe("load", () -> this.delegate.get(key, loader), (value) -> loaded[0] ? "miss" : "hit");
	}

	@Override
	public @Nullable CompletableFuture<?> retrieve(Object key) {
		ValueWrapper hit = nearHit(key);
		if (hit != null && this.regional != null) {
			return this.regional.retrieved(hit);
		}
		Observation observation = start("retrieve");
		CompletableFuture<?> result = this.delegate.retrieve(key);
		if (result == null) {
			stop(observation, "miss", null);
			return null;
		}
		return result.whenComplete((value, ex) -> stop(observation, (value != null) ? "hit" : "miss", ex));
	}

	@SuppressWarnings("unchecked")
	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		ValueWrapper hit = nearHit(key);
		if (hit != null) {
			return CompletableFuture.completedFuture((T) hit.get());
		}
		Observation observation = start("retrieve");
		boolean[] loaded = new boolean[1];
		return this.delegate.retrieve(key, () -> {
			loaded[0] = true;
			return valueLoader.get();
		}).whenComplete((value, ex) -> stop(observation, loaded[0] ? "miss" : "hit", ex));
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		observe("put", () -> {
			this.delegate.put(key, value);
			return null;
		}, (nothing) -> "success");
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		return observe("put-if-absent", () -> this.delegate.putIfAbsent(key, value), (existing) -> (existing != null) ? "hit" : "success");
	}

	@Override
	public void evict(Object key) {
		observe("evict", () -> {
			this.delegate.evict(key);
			return null;
		}, (nothing) -> "success");
	}

	@Override
	public boolean evictIfPresent(Object key) {
		return observe("evict", () -> this.delegate.evictIfPresent(key), (present) -> "success");
	}

	@Override
	public void clear() {
		observe("clear", () -> {
			this.delegate.clear();
			return null;
		}, (nothing) -> "success");
	}

	@Override
	public boolean invalidate() {
		return observe("clear", this.delegate::invalidate, (any) -> "success");
	}

	private <T> T observe(String operation, Supplier<T> call, java.util.function.Function<T, String> outcome) {
		Observation observation = start(operation);
		Observation.Context previous = CURRENT.get();
		CURRENT.set(observation.getContext());
		try (Observation.Scope scope = observation.openScope()) {
			T result = call.get();
			stop(observation, outcome.apply(result), null);
			return result;
		}
		catch (RuntimeException | Error ex) {
			stop(observation, "error", ex);
			throw ex;
		}
		finally {
			CURRENT.set(previous);
		}
	}

	private Observation start(String operation) {
		return Observation.createNotStarted(NAME, this.registry)
			.contextualName("cache " + operation)
			.lowCardinalityKeyValue("cache", this.delegate.getName())
			.lowCardinalityKeyValue("operation", operation)
			.start();
	}

	private static void stop(Observation observation, String outcome, @Nullable Throwable error) {
		Observation.Context context = observation.getContext();
		if (context.getLowCardinalityKeyValue("region") == null) {
			context.addLowCardinalityKeyValue(KeyValue.of("region", "unknown"));
		}
		observation.lowCardinalityKeyValue("outcome", (error != null) ? "error" : outcome);
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

}
