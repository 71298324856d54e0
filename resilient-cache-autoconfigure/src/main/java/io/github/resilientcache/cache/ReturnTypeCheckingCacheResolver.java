package io.github.resilientcache.cache;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>
 * The wrappers of a method are made once and handed out again while the resolver it delegates to
 * returns the same caches for it, so that a hit through {@code @Cacheable} allocates nothing here.
 */
public final class ReturnTypeCheckingCacheResolver implements CacheResolver {

	private final Supplier<CacheResolver> delegate;

	private final Supplier<DecodeRejections> rejections;

	/** What the last resolution of each method returned, for the caches the delegate gave. */
	private final Map<Method, Resolved> resolved = new ConcurrentHashMap<>();

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
		if (!(context.getOperation() instanceof CacheableOperation)) {
			return caches;
		}
		Method method = context.getMethod();
		Resolved last = this.resolved.get(method);
		if (last != null && last.isFor(caches)) {
			return last.caches();
		}
		Class<?> type = checkedType(method);
		List<Cache> checked = new ArrayList<>(caches.size());
		for (Cache cache : caches) {
			checked.add((type != null && isMultiRegion(cache)) ? new ReturnTypeCheckingCache(cache, type, this.rejections.get()) : cache);
		}
		Resolved resolution = new Resolved(Collections.unmodifiableList(new ArrayList<>(caches)), Collections.unmodifiableList(checked));
		this.resolved.put(method, resolution);
		return resolution.caches();
	}

	private static boolean isMultiRegion(Cache cache) {
		return cache instanceof MultiRegionCache || (cache instanceof ObservedCache observed && observed.delegate() instanceof MultiRegionCache);
	}

	/**
	 * The caches of one resolution of a method.
	 * @param delegated the caches the delegate resolved, compared by identity
	 * @param caches the caches handed out for them
	 */
	private record Resolved(List<Cache> delegated, List<Cache> caches) {

		boolean isFor(Collection<? extends Cache> resolved) {
			if (resolved.size() != this.delegated.size()) {
				return false;
			}
			if (resolved instanceof List<? extends Cache> list) {
				for (int i = 0; i < list.size(); i++) {
					if (list.get(i) != this.delegated.get(i)) {
						return false;
					}
				}
				return true;
			}
			Iterator<? extends Cache> iterator = resolved.iterator();
			for (Cache cache : this.delegated) {
				if (iterator.next() != cache) {
					return false;
				}
			}
			return true;
		}

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
