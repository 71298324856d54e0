package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.cache.DecodeRejections;
import io.github.resilientcache.cache.ReturnTypeCheckingCacheResolver;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.SimpleCacheResolver;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.util.function.SingletonSupplier;

/**
 * Puts a {@link ReturnTypeCheckingCacheResolver} in front of the cache interceptor's resolver (the
 * one a {@code CachingConfigurer} gives, else the cache manager's), so that a {@code @Cacheable}
 * method is never handed a cached value of a type it cannot return. Everything is resolved on
 * first use: the interceptor is created before most beans. Priority-ordered, so that it is
 * registered before the auto-proxy creator, whose search for advisors creates the interceptor.
 */
final class ReturnTypeCheckingPostProcessor implements BeanPostProcessor, BeanFactoryAware, PriorityOrdered {

	private BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof CacheAspectSupport interceptor && !(interceptor.getCacheResolver() instanceof ReturnTypeCheckingCacheResolver)) {
			CacheResolver configured = interceptor.getCacheResolver();
			SingletonSupplier<CacheResolver> delegate = SingletonSupplier.of(
					() -> (configured != null) ? configured : new SimpleCacheResolver(this.beanFactory.getBean(CacheManager.class)));
			interceptor.setCacheResolver(new ReturnTypeCheckingCacheResolver(delegate,
					SingletonSupplier.of(() -> this.beanFactory.getBean(DecodeRejections.class))));
		}
		return bean;
	}

}
