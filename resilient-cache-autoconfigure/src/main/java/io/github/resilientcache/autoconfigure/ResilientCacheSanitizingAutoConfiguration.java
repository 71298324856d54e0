package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.actuate.ResilientCacheSanitizingFunction;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the sanitizing of region passwords and address credentials in the
 * {@code configprops} and {@code env} endpoints. Not conditional on the cache being enabled: the
 * properties hold the secrets either way.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class ResilientCacheSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResilientCacheSanitizingFunction resilientCacheSanitizingFunction() {
		return new ResilientCacheSanitizingFunction();
	}

}
