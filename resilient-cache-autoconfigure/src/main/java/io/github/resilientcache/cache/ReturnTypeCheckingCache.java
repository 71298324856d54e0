package io.github.resilientcache.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;

/**
 * A cache seen by one {@code @Cacheable} method: a stored value that is not an instance of the
 * method's return type is a miss (counted, logged without the value), and the method's result then
 * replaces it with a newer version.
 */
final class ReturnTypeCheckingCache implements Cache {

	private static final Log logger = LogFactory.getLog(ReturnTypeCheckingCache.class);

	private final Cache cache;

	private final Class<?> type;

	private final DecodeRejections rejections;

	ReturnTypeCheckingCache(Cache cache, Class<?> type, DecodeRejections rejections) {
		this.cache = cache;
		this.type = type;
		this.rejections = rejections;
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		ValueWrapper wrapper = this.cache.get(key);
		return (wrapper != null && !fits(wrapper.get())) ? null : wrapper;
	}

	@SuppressWarnings("unchecked")
	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		T value = this.cache.get(key, valueLoader);
		if (fits(value)) {
			return value;
		}
		// The poison must go before the load, or the synchronized load would be served it again.
		this.cache.evict(key);
		return this.cache.get(key, valueLoader);
	}

	private boolean fits(@Nullable Object value) {
		if (value == null || this.type.isInstance(value)) {
			return true;
		}
		this.rejections.reject(DecodeRejections.Reason.RETURN_TYPE, "");
		logger.warn("Ignoring an entry of cache '" + this.cache.getName() + "' holding a " + value.getClass().getName()
				+ " where the method returns " + this.type.getName() + ": treated as a miss, the method's result replaces it");
		return false;
	}

	@Override
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		return this.cache.get(key, type);
	}

	@Override
	public @Nullable CompletableFuture<?> retrieve(Object key) {
		return this.cache.retrieve(key);
	}

	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return this.cache.retrieve(key, valueLoader);
	}

	@Override
	public String getName() {
		return this.cache.getName();
	}

	@Override
	public Object getNativeCache() {
		return this.cache.getNativeCache();
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		this.cache.put(key, value);
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		return this.cache.putIfAbsent(key, value);
	}

	@Override
	public void evict(Object key) {
		this.cache.evict(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		return this.cache.evictIfPresent(key);
	}

	@Override
	public void clear() {
		this.cache.clear();
	}

	@Override
	public boolean invalidate() {
		return this.cache.invalidate();
	}

}
