package io.github.resilientcache.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.cache.AllowlistJsonValueCodec;
import io.github.resilientcache.cache.CacheKeyring;
import io.github.resilientcache.cache.CacheOperationTimer;
import io.github.resilientcache.cache.CacheSettings;
import io.github.resilientcache.cache.DecodeRejections;
import io.github.resilientcache.cache.MultiRegionCacheManager;
import io.github.resilientcache.cache.ValueCodec;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionConnectionListener;
import io.github.resilientcache.region.RegionStateChangedEvent;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.JournalStore;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.replication.Replicator;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the multi-region cache: one Redisson client and one circuit breaker per
 * region, the write path with its journal, and the {@link CacheManager}. Backs off when the
 * application defines its own {@code CacheManager}.
 */
@AutoConfiguration(after = CircuitBreakerAutoConfiguration.class, before = CacheAutoConfiguration.class)
@ConditionalOnClass({ RedissonClient.class, CircuitBreaker.class, CacheManager.class })
@ConditionalOnBooleanProperty(name = "resilient-cache.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(CacheManager.class)
@EnableConfigurationProperties(ResilientCacheProperties.class)
@Import(ResilientCacheAutoConfiguration.CachingConfiguration.class)
public final class ResilientCacheAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HybridLogicalClock resilientCacheClock(ResilientCacheProperties properties) {
		return new HybridLogicalClock(properties.getMaxClockDrift());
	}

	@Bean
	@ConditionalOnMissingBean
	KeySpace resilientCacheKeySpace(ResilientCacheProperties properties, Environment environment) {
		return new KeySpace(KeyPrefixes.resolve(properties.getKeyPrefix(), environment.getProperty("spring.application.name")));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Regions resilientCacheRegions(ResilientCacheProperties properties, KeySpace keySpace, HybridLogicalClock clock,
			ObjectProvider<CircuitBreakerRegistry> registry,
			ObjectProvider<CommonCircuitBreakerConfigurationProperties> resilience4jProperties,
			ObjectProvider<CompositeCustomizer<CircuitBreakerConfigCustomizer>> breakerCustomizers,
			ObjectProvider<RegionConfigCustomizer> customizers, ApplicationEventPublisher events, Environment environment) {
		UnknownEntryProperties.check(environment);
		String local = ResilientCachePropertiesValidator.validate(properties);
		RegionCircuitBreakers breakers = new RegionCircuitBreakers(registry.getIfAvailable(CircuitBreakerRegistry::ofDefaults),
				properties.getCircuitBreaker(), resilience4jProperties.getIfAvailable(), breakerCustomizers.getIfAvailable());
		List<RegionConfigCustomizer> orderedCustomizers = customizers.orderedStream().toList();
		List<Region> regions = new ArrayList<>();
		regions.add(region(local, true, properties, clock, breakers, orderedCustomizers));
		properties.getRegions().keySet().stream()
			.filter((name) -> !name.equals(local))
			.forEach((name) -> regions.add(region(name, false, properties, clock, breakers, orderedCustomizers)));
		Regions result = new Regions(regions, keySpace);
		result.all().forEach((region) -> region.addStateListener((change) -> events.publishEvent(new RegionStateChangedEvent(result, change))));
		return result;
	}

	private static Region region(String name, boolean local, ResilientCacheProperties properties, HybridLogicalClock clock,
			RegionCircuitBreakers breakers, List<RegionConfigCustomizer> customizers) {
		Config config = RedissonConfigFactory.create(name, properties.getRegions().get(name), customizers);
		RegionConnectionListener connections = new RegionConnectionListener(config.getConnectionListener());
		config.setConnectionListener(connections);
		RedissonClient client = Redisson.create(config);
		Region region = new Region(name, local, new RegionStore(client, clock::maxTrusted), breakers.create(name), properties.getRegions().get(name).getTimeout());
		connections.bind(region);
		return region;
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ReplayJournal resilientCacheJournal(Regions regions, ResilientCacheProperties properties) {
		return new ReplayJournal(regions, new JournalStore(regions.keys()), properties.getJournal().getMaxEntries(),
				properties.getJournal().getMemoryMaxEntries(), InstanceId.create());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Replicator resilientCacheReplicator(Regions regions, ReplayJournal journal, ResilientCacheProperties properties) {
		return new Replicator(regions, properties.getReplication().getMode(), journal, properties.getOperationTimeout(),
				properties.getReplication().getMaxInFlight());
	}

	@Bean
	@ConditionalOnMissingBean
	DecodeRejections resilientCacheDecodeRejections() {
		return new DecodeRejections();
	}

	@Bean
	@ConditionalOnMissingBean
	ValueCodec resilientCacheValueCodec(BeanFactory beanFactory, ResilientCacheProperties properties, DecodeRejections rejections) {
		List<String> application = AutoConfigurationPackages.has(beanFactory) ? AutoConfigurationPackages.get(beanFactory) : List.of();
		return new AllowlistJsonValueCodec(AllowlistJsonValueCodec.packages(application, properties.getCodec().getAllowedPackages()),
				properties.getMaxValueSize().toBytes(), rejections);
	}

	@Bean
	@ConditionalOnMissingBean
	CacheKeyring resilientCacheKeyring(ResilientCacheProperties properties) {
		return PropertiesCacheKeyring.of(properties.getCaches());
	}

	@Bean(destroyMethod = "close")
	NearCacheSetup resilientCacheNearCaches(Regions regions, ResilientCacheProperties properties) {
		return new NearCacheSetup(regions, properties);
	}

	@Bean
	MultiRegionCacheManager cacheManager(Regions regions, Replicator replicator, ValueCodec codec, HybridLogicalClock clock,
			ResilientCacheProperties properties, ObjectProvider<CacheOperationTimer> timer,
			ObjectProvider<ObservationRegistry> observationRegistry, NearCacheSetup nearCaches) {
		CacheSettings defaults = new CacheSettings(regions.keys().prefix(), properties.getDefaultTtl(), properties.getTombstoneTtl(),
				properties.getOperationTimeout(), properties.getMaxValueSize().toBytes(), properties.isAllowNullValues())
			.withReplication(properties.getReplication().getMode());
		MultiRegionCacheManager manager = new MultiRegionCacheManager(regions, replicator, codec,
				(name) -> settings(defaults, properties.getCaches().get(name)), timer.getIfAvailable(() -> CacheOperationTimer.NONE), clock,
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
		nearCaches.apply(manager);
		return manager;
	}

	private static CacheSettings settings(CacheSettings defaults, ResilientCacheProperties.@Nullable Cache cache) {
		CacheSettings settings = defaults;
		if (cache != null && cache.getTtl() != null) {
			settings = settings.withTtl(cache.getTtl());
		}
		if (cache != null && cache.getReplication() != null) {
			settings = settings.withReplication(cache.getReplication());
		}
		if (cache != null && cache.getTimeout() != null) {
			settings = settings.withOperationTimeout(cache.getTimeout());
		}
		return settings;
	}

	@Bean
	@ConfigurationPropertiesBinding
	static ReplicationModeConverter resilientCacheReplicationModeConverter() {
		return new ReplicationModeConverter();
	}

	@Bean
	static CacheProtectionPostProcessor resilientCacheProtection() {
		return new CacheProtectionPostProcessor();
	}

	@Bean
	static ReturnTypeCheckingPostProcessor resilientCacheReturnTypeChecking() {
		return new ReturnTypeCheckingPostProcessor();
	}

	/**
	 * Turns on annotation-driven caching unless the application already did, so that
	 * {@code @Cacheable} works with nothing but the starter and the regions' properties.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(CacheInterceptor.class)
	@EnableCaching
	static class CachingConfiguration {

	}

}
