package io.github.resilientcache.cache;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Resolves caches through another resolver and, for a {@code @Cacheable} method with a concrete
 * return type, hands out its multi-region caches through a {@link ReturnTypeCheckingCache}: a stored
 * value the method could not return (a forged entry of another allowed class, or the entry of a
 * method whose return type changed) is then poison, a miss that the method's result replaces, never
 * a {@code ClassCastException} in the caller.
 */
public final class ReturnTypeCheckingCacheResolver implements CacheResolver {

	private final Supplier<CacheResolver> delegate;

	private final Supplier<DecodeRejections> rejections;

	/**
	 * Creates the resolver.
	 * @param delegate the resolver that finds the caches, resolved on first use
	 * @param rejections where poison of the wrong type is counted, resolved on first use
	 */
	public ReturnTypeCheckingCacheResolver(Supplier<CacheResolver> delegate, Supplier<DecodeRejections> rejections) {
		Assert.notNull(delegate, "'delegate' must not be null");
		Assert.notNull(rejections, "'rejections' must not be null");
		this.delegate = delegate;
		this.rejections = rejections;
	}

	@Override
	public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
		Collection<? extends Cache> caches = this.delegate.get().resolveCaches(context);
		Class<?> type = (context.getOperation() instanceof CacheableOperation) ? checkedType(context.getMethod()) : null;
		if (type == null) {
			return caches;
		}
		return caches.stream().map((cache) -> (cache instanceof MultiRegionCache) ? new ReturnTypeCheckingCache(cache, type, this.rejections.get())
				: cache).toList();
	}

	/**
	 * The type every cached value of the method must have, {@code null} when the cached value is not
	 * what the method returns (Optional, futures, reactive types) or when any value fits.
	 */
	static @Nullable Class<?> checkedType(Method method) {
		Class<?> type = ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType());
		if (type == Object.class || type == Optional.class || Future.class.isAssignableFrom(type)
				|| type.getName().startsWith("reactor.core.publisher.") || type.getName().startsWith("org.reactivestreams.")) {
			return null;
		}
		return type;
	}

}
