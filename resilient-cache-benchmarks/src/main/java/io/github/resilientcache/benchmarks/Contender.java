package io.github.resilientcache.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheAutoConfiguration;
import io.github.resilientcache.autoconfigure.ResilientCacheRecoveryAutoConfiguration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.codec.JsonJackson3Codec;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.spring.cache.CacheConfig;
import org.redisson.spring.cache.RedissonSpringCacheManager;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.cache.interceptor.LoggingCacheErrorHandler;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * The cache managers compared, each started as a small application (the {@link AccountLookup}
 * service behind {@code @Cacheable}) on the benchmark's Redis servers.
 * <p>
 * Like for like: every manager stores JSON with type information, expires entries after 10 minutes
 * and talks to Redis with the starter's default client settings (200 ms command timeout, one retry
 * after 20 ms, 64 pooled connections for Redisson). What differs is only what each cache manager
 * does on top of its client. The JMH benchmarks give the plain managers a 2 s timeout instead, so
 * that one command delayed by a busy shared machine does not abort a trial (the starter turns such a
 * delay into a miss by itself); a timeout costs nothing until it fires.
 */
enum Contender {

	STARTER_ONE_REGION("starter-1", "resilient-cache, 1 region"),

	STARTER_TWO_ASYNC("starter-2-async", "resilient-cache, 2 regions, async replication"),

	STARTER_TWO_SYNC("starter-2-sync", "resilient-cache, 2 regions, sync replication"),

	/** The starter with the near tier on the benchmark's cache: a hit makes no network call. */
	STARTER_NEAR("starter-2-near", "resilient-cache, 2 regions, async replication, near cache"),

	/** The baseline of every ratio: Redisson's own Spring cache manager, with a TTL (an RMapCache). */
	REDISSON("redisson", "RedissonSpringCacheManager, TTL 10 min (RMapCache)"),

	/** Redisson's fastest path, for reference: a plain hash (RMap), which cannot expire entries. */
	REDISSON_NO_TTL("redisson-nottl", "RedissonSpringCacheManager, no TTL (RMap)"),

	SPRING_DATA_REDIS("spring-data-redis", "Spring Data RedisCacheManager (Lettuce)");

	static final Duration TTL = Duration.ofMinutes(10);

	static final Duration COMMAND_TIMEOUT = Duration.ofMillis(200);

	private final String id;

	private final String title;

	Contender(String id, String title) {
		this.id = id;
		this.title = title;
	}

	String id() {
		return this.id;
	}

	String title() {
		return this.title;
	}

	boolean isStarter() {
		return this == STARTER_ONE_REGION || this == STARTER_TWO_ASYNC || this == STARTER_TWO_SYNC || this == STARTER_NEAR;
	}

	static Contender of(String id) {
		for (Contender contender : values()) {
			if (contender.id.equals(id)) {
				return contender;
			}
		}
		throw new IllegalArgumentException("Unknown contender '" + id + "'");
	}

	/**
	 * Starts the application of this contender.
	 * @param servers the Redis servers
	 * @param errors the {@code CacheErrorHandler} of the plain managers (the starter never throws)
	 * @param recordLatencyNanos simulated latency of the service's system of record
	 * @param extraProperties more properties, e.g. the starter's probe interval
	 * @return the running context, holding an {@link AccountLookup} and a {@link CacheManager}
	 */
	ConfigurableApplicationContext start(RedisServers servers, ErrorHandling errors, long recordLatencyNanos, String... extraProperties) {
		return start(servers, errors, recordLatencyNanos, COMMAND_TIMEOUT, extraProperties);
	}

	/**
	 * Starts the application of this contender.
	 * @param servers the Redis servers
	 * @param errors the {@code CacheErrorHandler} of the plain managers (the starter never throws)
	 * @param recordLatencyNanos simulated latency of the service's system of record
	 * @param plainTimeout command timeout of the plain managers' clients
	 * @param extraProperties more properties, e.g. the starter's probe interval
	 * @return the running context, holding an {@link AccountLookup} and a {@link CacheManager}
	 */
	ConfigurableApplicationContext start(RedisServers servers, ErrorHandling errors, long recordLatencyNanos, Duration plainTimeout,
			String... extraProperties) {
		return start(servers, errors, recordLatencyNanos, plainTimeout, new Class<?>[0], extraProperties);
	}

	/**
	 * Starts the application of this contender with more configuration classes.
	 * @param servers the Redis servers
	 * @param errors the {@code CacheErrorHandler} of the plain managers (the starter never throws)
	 * @param recordLatencyNanos simulated latency of the service's system of record
	 * @param plainTimeout command timeout of the plain managers' clients
	 * @param extraSources more configuration classes, e.g. an observation registry
	 * @param extraProperties more properties, e.g. the starter's probe interval
	 * @return the running context, holding an {@link AccountLookup} and a {@link CacheManager}
	 */
	ConfigurableApplicationContext start(RedisServers servers, ErrorHandling errors, long recordLatencyNanos, Duration plainTimeout,
			Class<?>[] extraSources, String... extraProperties) {
		List<Class<?>> sources = new ArrayList<>(List.of(extraSources));
		List<String> properties = new ArrayList<>(List.of("benchmark.east=" + servers.east(), "benchmark.west=" + servers.west(),
				"benchmark.record-latency-nanos=" + recordLatencyNanos, "benchmark.ttl=" + (this == REDISSON_NO_TTL ? 0 : TTL.toMillis()),
				"benchmark.command-timeout-ms=" + plainTimeout.toMillis(), "logging.level.root=WARN"));
		sources.add(ServiceConfiguration.class);
		switch (this) {
			case STARTER_ONE_REGION, STARTER_TWO_ASYNC, STARTER_TWO_SYNC, STARTER_NEAR -> {
				sources.add(StarterConfiguration.class);
				properties.add("resilient-cache.regions.east.address=" + servers.east());
				if (this != STARTER_ONE_REGION) {
					properties.add("resilient-cache.regions.west.address=" + servers.west());
				}
				properties.add("resilient-cache.local-region=east");
				properties.add("resilient-cache.default-ttl=" + TTL.toMillis() + "ms");
				properties.add("resilient-cache.reconciliation.enabled=false");
				properties.add("resilient-cache.codec.allowed-packages=" + Account.class.getPackageName());
				properties.add("resilient-cache.replication.mode=" + (this == STARTER_TWO_SYNC ? "sync" : "async"));
				if (this == STARTER_NEAR) {
					properties.add("resilient-cache.caches.accounts.near-cache.enabled=true");
				}
			}
			case REDISSON, REDISSON_NO_TTL -> sources.add(RedissonConfiguration.class);
			case SPRING_DATA_REDIS -> sources.add(SpringDataRedisConfiguration.class);
		}
		if (!isStarter() && errors == ErrorHandling.LOGGING) {
			sources.add(LoggingErrorHandlerConfiguration.class);
		}
		properties.addAll(List.of(extraProperties));
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	/**
	 * Which {@code CacheErrorHandler} the plain managers use.
	 */
	enum ErrorHandling {

		/** Spring's default: a cache failure is thrown to the caller. */
		DEFAULT,

		/** Spring's {@link LoggingCacheErrorHandler}: a failed get is a miss, a failed put is skipped. */
		LOGGING

	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		@Bean
		AccountLookup accountLookup(@Value("${benchmark.record-latency-nanos}") long recordLatencyNanos) {
			return new AccountLookup(recordLatencyNanos);
		}

	}

	/** The starter as users get it: its auto-configurations, which also turn on caching. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CircuitBreakerAutoConfiguration.class, ResilientCacheAutoConfiguration.class,
			ResilientCacheRecoveryAutoConfiguration.class })
	static class StarterConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class RedissonConfiguration {

		@Bean(destroyMethod = "")
		RedissonClient redisson(@Value("${benchmark.east}") String address, @Value("${benchmark.command-timeout-ms}") int timeoutMillis) {
			Config config = new Config();
			config.setUseScriptCache(true);
			config.setThreads(4);
			config.setNettyThreads(16);
			config.setTcpKeepAlive(true);
			config.setCodec(new RecordJsonCodec());
			config.useSingleServer()
				.setAddress(address)
				.setConnectionPoolSize(64)
				.setConnectionMinimumIdleSize(8)
				.setTimeout(timeoutMillis)
				.setConnectTimeout(1000)
				// The starter's retry settings; with the JMH runs' long timeout, Redisson's own (3 after 1 s
				// each), so that a netty thread starved for 40 ms by the busy machine does not fail a call.
				.setRetryAttempts(timeoutMillis > COMMAND_TIMEOUT.toMillis() ? 3 : 1)
				.setRetryDelay(new ConstantDelay(Duration.ofMillis(timeoutMillis > COMMAND_TIMEOUT.toMillis() ? 1000 : 20)))
				.setPingConnectionInterval(0);
			return Redisson.create(config);
		}

		@Bean
		DisposableBean redissonShutdown(RedissonClient redisson) {
			// Like the starter's regions: no quiet period, so that a benchmark trial ends at once.
			return () -> redisson.shutdown(0, 2, TimeUnit.SECONDS);
		}

		@Bean
		CacheManager cacheManager(RedissonClient redisson, @Value("${benchmark.ttl}") long ttlMillis) {
			return new RedissonSpringCacheManager(redisson, Map.of("accounts", new CacheConfig(ttlMillis, 0)));
		}

	}

	/**
	 * Redisson's JSON codec records types of non-final classes only; records are final, so type
	 * information is added for them too (as the starter's codec does).
	 */
	static final class RecordJsonCodec extends JsonJackson3Codec {

		@Override
		protected void initTypeInclusion(JsonMapper.Builder builder) {
			builder.activateDefaultTyping(typeValidator(), DefaultTyping.NON_FINAL_AND_RECORDS, JsonTypeInfo.As.PROPERTY);
		}

	}

	static PolymorphicTypeValidator typeValidator() {
		return BasicPolymorphicTypeValidator.builder().allowIfSubType(Account.class.getPackageName() + ".").allowIfSubType("java.").build();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class SpringDataRedisConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory(@Value("${benchmark.east}") String address,
				@Value("${benchmark.command-timeout-ms}") long timeoutMillis) {
			URI uri = URI.create(address);
			return new LettuceConnectionFactory(new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()),
					LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(timeoutMillis)).build());
		}

		@Bean
		CacheManager cacheManager(LettuceConnectionFactory connectionFactory) {
			GenericJacksonJsonRedisSerializer json = GenericJacksonJsonRedisSerializer.builder()
				.enableDefaultTyping(typeValidator())
				.build();
			return RedisCacheManager.builder(connectionFactory)
				.cacheDefaults(RedisCacheConfiguration.defaultCacheConfig().entryTtl(TTL).serializeValuesWith(SerializationPair.fromSerializer(json)))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LoggingErrorHandlerConfiguration implements CachingConfigurer {

		@Override
		public CacheErrorHandler errorHandler() {
			return new LoggingCacheErrorHandler();
		}

	}

}
