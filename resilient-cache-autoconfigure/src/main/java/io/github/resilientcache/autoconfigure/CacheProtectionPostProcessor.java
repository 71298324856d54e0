package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.cache.CacheKeyring;
import io.github.resilientcache.cache.CacheProtection;
import io.github.resilientcache.cache.DecodeRejections;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives the cache manager the protection of each cache (its {@link CacheKeyring}'s secrets) before
 * anything can use it, so that no cache is ever created unprotected. The keyring is asked when a
 * cache is first used: a keyring that fails then leaves that cache caching nothing, never in clear,
 * and never fails the business call.
 */
final class CacheProtectionPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(CacheProtectionPostProcessor.class);

	private BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof MultiRegionCacheManager manager) {
			manager.setProtections((name) -> protection(name));
		}
		return bean;
	}

	private CacheProtection protection(String name) {
		DecodeRejections rejections = this.beanFactory.getBean(DecodeRejections.class);
		try {
			return CacheProtection.of(name, this.beanFactory.getBean(CacheKeyring.class).secrets(name), rejections);
		}
		catch (RuntimeException ex) {
			logger.error("Cannot get the secrets of cache '" + name + "' from the CacheKeyring (" + ex.getClass().getName()
					+ "): nothing is cached in it until the application restarts");
			return CacheProtection.unavailable(name, rejections);
		}
	}

}
