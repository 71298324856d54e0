package io.github.resilientcache.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.resilientcache.replication.ReplicationMode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the multi-region cache: regions, timeouts, breakers, replication and recovery.
 */
@ConfigurationProperties("resilient-cache")
public class ResilientCacheProperties {

	/**
	 * Whether the multi-region cache manager is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Name of the region this instance runs in: reads go there first. Required when there are
	 * several regions.
	 */
	private @Nullable String localRegion;

	/**
	 * Regions by name. Declaration order is failover order after the local region.
	 */
	private final Map<String, Region> regions = new LinkedHashMap<>();

	/**
	 * Prefix of every key, journal, lock and channel the cache uses, so that several applications
	 * can share Redis servers. Defaults to spring.application.name ("rc", with a warning, when that
	 * is not set). Letters, digits, '-', '_' and '.' only.
	 */
	private @Nullable String keyPrefix;

	/**
	 * Longest time one cache operation may hold the calling thread, failover to other regions
	 * included. Past it the operation is a miss (reads) or is journaled (writes).
	 */
	private Duration operationTimeout = Duration.ofMillis(500);

	/**
	 * Whether null values are cached.
	 */
	private boolean allowNullValues = true;

	/**
	 * Time to live of entries of caches that have no ttl of their own. Zero means no expiry.
	 */
	private Duration defaultTtl = Duration.ofMinutes(10);

	/**
	 * Largest encoded value that is cached. A larger value is not cached (a warning and a metric);
	 * the business call still succeeds.
	 */
	private DataSize maxValueSize = DataSize.ofMegabytes(1);

	/**
	 * Time an eviction's versioned tombstone is kept, so that a late replicated write of an older
	 * value cannot bring the evicted value back.
	 */
	private Duration tombstoneTtl = Duration.ofMinutes(1);

	/**
	 * How far ahead of this machine's clock a version stamp read from Redis may be. Further ahead
	 * (a bad clock elsewhere, or forged data), it is refused and counted, and the entry it stamps is
	 * replaced by the next write rather than kept as newest.
	 */
	private Duration maxClockDrift = Duration.ofSeconds(5);

	public Duration getMaxClockDrift() {
		return this.maxClockDrift;
	}

	public void setMaxClockDrift(Duration maxClockDrift) {
		this.maxClockDrift = maxClockDrift;
	}

	/**
	 * Per-cache settings by cache name.
	 */
	private final Map<String, Cache> caches = new LinkedHashMap<>();

	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	private final Replication replication = new Replication();

	private final Codec codec = new Codec();

	private final Journal journal = new Journal();

	private final Probe probe = new Probe();

	private final Reconciliation reconciliation = new Reconciliation();

	private final Stream stream = new Stream();

	private final Coordination coordination = new Coordination();

	private final Fleet fleet = new Fleet();

	public Fleet getFleet() {
		return this.fleet;
	}

	private final NearCache nearCache = new NearCache();

	public NearCache getNearCache() {
		return this.nearCache;
	}

	public Coordination getCoordination() {
		return this.coordination;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getLocalRegion() {
		return this.localRegion;
	}

	public void setLocalRegion(@Nullable String localRegion) {
		this.localRegion = localRegion;
	}

	public Map<String, Region> getRegions() {
		return this.regions;
	}

	public @Nullable String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(@Nullable String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public Duration getOperationTimeout() {
		return this.operationTimeout;
	}

	public void setOperationTimeout(Duration operationTimeout) {
		this.operationTimeout = operationTimeout;
	}

	public boolean isAllowNullValues() {
		return this.allowNullValues;
	}

	public void setAllowNullValues(boolean allowNullValues) {
		this.allowNullValues = allowNullValues;
	}

	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	public void setDefaultTtl(Duration defaultTtl) {
		this.defaultTtl = defaultTtl;
	}

	public DataSize getMaxValueSize() {
		return this.maxValueSize;
	}

	public void setMaxValueSize(DataSize maxValueSize) {
		this.maxValueSize = maxValueSize;
	}

	public Duration getTombstoneTtl() {
		return this.tombstoneTtl;
	}

	public void setTombstoneTtl(Duration tombstoneTtl) {
		this.tombstoneTtl = tombstoneTtl;
	}

	public Map<String, Cache> getCaches() {
		return this.caches;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public Replication getReplication() {
		return this.replication;
	}

	public Codec getCodec() {
		return this.codec;
	}

	public Journal getJournal() {
		return this.journal;
	}

	public Probe getProbe() {
		return this.probe;
	}

	public Reconciliation getReconciliation() {
		return this.reconciliation;
	}

	public Stream getStream() {
		return this.stream;
	}

	/**
	 * One region: a Redis deployment (single server, Sentinel or Cluster) in one data centre.
	 */
	public static class Region {

		/**
		 * Address of a single Redis server, such as redis://host:6379 or rediss://host:6380 for TLS.
		 */
		private @Nullable String address;

		/**
		 * Addresses of Redis Cluster nodes, used instead of address for a cluster region.
		 */
		private List<String> clusterNodes = new ArrayList<>();

		private final Sentinel sentinel = new Sentinel();

		/**
		 * TLS settings of the region's connections (rediss:// addresses).
		 */
		private final Ssl ssl = new Ssl();

		/**
		 * Login username of the region's Redis servers (ACL).
		 */
		private @Nullable String username;

		/**
		 * Login password of the region's Redis servers.
		 */
		private @Nullable String password;

		/**
		 * Database index of a single-server or Sentinel region.
		 */
		private int database;

		/**
		 * Timeout of one Redis command. Failing over to another region is the retry, so keep it short.
		 */
		private Duration timeout = Duration.ofMillis(200);

		/**
		 * Timeout of establishing a connection.
		 */
		private Duration connectTimeout = Duration.ofSeconds(1);

		/**
		 * Retries of a failed Redis command within the region, before the operation moves on.
		 */
		private int retryAttempts = 1;

		/**
		 * Delay before a command is retried within the region.
		 */
		private Duration retryInterval = Duration.ofMillis(20);

		/**
		 * Largest number of connections to each Redis server of the region.
		 */
		private int connectionPoolSize = 64;

		/**
		 * Number of idle connections kept open to each Redis server of the region.
		 */
		private int connectionMinimumIdleSize = 8;

		/**
		 * Interval of the PING that keeps each connection alive, so that a connection closed while
		 * idle (a server timeout, a NAT or load balancer reset) is found and reopened by the client,
		 * not by a payment. Zero turns it off.
		 */
		private Duration pingInterval = Duration.ofSeconds(1);

		public Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		public @Nullable String getAddress() {
			return this.address;
		}

		public void setAddress(@Nullable String address) {
			this.address = address;
		}

		public List<String> getClusterNodes() {
			return this.clusterNodes;
		}

		public void setClusterNodes(List<String> clusterNodes) {
			this.clusterNodes = clusterNodes;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Sentinel getSentinel() {
			return this.sentinel;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public int getDatabase() {
			return this.database;
		}

		public void setDatabase(int database) {
			this.database = database;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public int getRetryAttempts() {
			return this.retryAttempts;
		}

		public void setRetryAttempts(int retryAttempts) {
			this.retryAttempts = retryAttempts;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

		public int getConnectionPoolSize() {
			return this.connectionPoolSize;
		}

		public void setConnectionPoolSize(int connectionPoolSize) {
			this.connectionPoolSize = connectionPoolSize;
		}

		public int getConnectionMinimumIdleSize() {
			return this.connectionMinimumIdleSize;
		}

		public void setConnectionMinimumIdleSize(int connectionMinimumIdleSize) {
			this.connectionMinimumIdleSize = connectionMinimumIdleSize;
		}

	}

	/**
	 * TLS settings of a region.
	 */
	public static class Ssl {

		/**
		 * Location of the trust store (PKCS12 or JKS) holding the CA of the region's Redis
		 * servers, such as file:/etc/payments/redis-truststore.p12. Defaults to the JVM's.
		 */
		private @Nullable String trustStore;

		/**
		 * Password of the trust store.
		 */
		private @Nullable String trustStorePassword;

		public @Nullable String getTrustStore() {
			return this.trustStore;
		}

		public void setTrustStore(@Nullable String trustStore) {
			this.trustStore = trustStore;
		}

		public @Nullable String getTrustStorePassword() {
			return this.trustStorePassword;
		}

		public void setTrustStorePassword(@Nullable String trustStorePassword) {
			this.trustStorePassword = trustStorePassword;
		}

	}

	/**
	 * Sentinel-managed region.
	 */
	public static class Sentinel {

		/**
		 * Name of the Redis master the Sentinels monitor.
		 */
		private @Nullable String masterName;

		/**
		 * Addresses of the Sentinel nodes.
		 */
		private List<String> nodes = new ArrayList<>();

		public @Nullable String getMasterName() {
			return this.masterName;
		}

		public void setMasterName(@Nullable String masterName) {
			this.masterName = masterName;
		}

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

	}

	/**
	 * Defaults of every region's circuit breaker. The Resilience4j instance properties of
	 * {@code resilient-cache-<region>} override them.
	 */
	public static class CircuitBreaker {

		/**
		 * Failure rate, in percent, at or above which a region's breaker opens.
		 */
		private float failureRateThreshold = 50;

		/**
		 * Slow-call rate, in percent, at or above which a region's breaker opens.
		 */
		private float slowCallRateThreshold = 80;

		/**
		 * Duration above which a Redis call counts as slow.
		 */
		private Duration slowCallDurationThreshold = Duration.ofMillis(150);

		/**
		 * Number of calls recorded before failure and slow-call rates are computed.
		 */
		private int minimumNumberOfCalls = 10;

		/**
		 * Number of most recent calls the rates are computed over.
		 */
		private int slidingWindowSize = 20;

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public float getSlowCallRateThreshold() {
			return this.slowCallRateThreshold;
		}

		public void setSlowCallRateThreshold(float slowCallRateThreshold) {
			this.slowCallRateThreshold = slowCallRateThreshold;
		}

		public Duration getSlowCallDurationThreshold() {
			return this.slowCallDurationThreshold;
		}

		public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
			this.slowCallDurationThreshold = slowCallDurationThreshold;
		}

		public int getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

	}

	/**
	 * Replication of writes and evictions to the regions other than the first that took them.
	 */
	public static class Replication {

		/**
		 * Default replication level of the caches: async (the call waits for one region, the
		 * others are written in the background), quorum (for a majority of the configured regions)
		 * or all (for every region that takes writes now); sync is the same as all. A region that
		 * cannot acknowledge within the operation timeout is journaled and the call still succeeds.
		 */
		private ReplicationMode mode = ReplicationMode.ASYNC;

		/**
		 * Largest number of asynchronous replication writes in flight. Past it a write is
		 * journaled for the region instead of sent.
		 */
		private int maxInFlight = 10_000;

		public ReplicationMode getMode() {
			return this.mode;
		}

		public void setMode(ReplicationMode mode) {
			this.mode = mode;
		}

		public int getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
		}

	}

	/**
	 * Settings of one cache.
	 */
	public static class Cache {

		/**
		 * Time to live of the cache's entries. Zero means no expiry.
		 */
		private @Nullable Duration ttl;

		/**
		 * Replication level of the cache: async, quorum or all (sync is the same as all). Defaults
		 * to resilient-cache.replication.mode.
		 */
		private @Nullable ReplicationMode replication;

		/**
		 * Longest time an operation of the cache holds the calling thread: a read with its failover,
		 * a write with the acknowledgements its replication level waits for. Defaults to
		 * resilient-cache.operation-timeout.
		 */
		private @Nullable Duration timeout;

		/**
		 * Encryption of the cache's values.
		 */
		private final Encryption encryption = new Encryption();

		/**
		 * Hashing of the cache's keys.
		 */
		private final KeyProtection keyProtection = new KeyProtection();

		private final CacheNearCache nearCache = new CacheNearCache();

		public CacheNearCache getNearCache() {
			return this.nearCache;
		}

		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		public @Nullable ReplicationMode getReplication() {
			return this.replication;
		}

		public void setReplication(@Nullable ReplicationMode replication) {
			this.replication = replication;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public Encryption getEncryption() {
			return this.encryption;
		}

		public KeyProtection getKeyProtection() {
			return this.keyProtection;
		}

	}

	/**
	 * Defaults of the near caches (in-process tiers) of the caches that enable one.
	 */
	public static class NearCache {

		/**
		 * Most entries a cache's near tier holds in memory.
		 */
		private long maxSize = 10_000;

		/**
		 * Longest time a near entry is served after it was read from a region, whatever else
		 * happens (lost announcements included): the hard bound on staleness.
		 */
		private Duration maxStaleness = Duration.ofSeconds(5);

		/**
		 * How often each instance sends a heartbeat on every region's invalidation channel. A channel
		 * silent for 4 intervals, or returning this instance's heartbeats later than that, is lost:
		 * near entries of that region are flushed and not served.
		 */
		private Duration heartbeatInterval = Duration.ofMillis(250);

		public long getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(long maxSize) {
			this.maxSize = maxSize;
		}

		public Duration getMaxStaleness() {
			return this.maxStaleness;
		}

		public void setMaxStaleness(Duration maxStaleness) {
			this.maxStaleness = maxStaleness;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

	}

	/**
	 * The near cache of one cache.
	 */
	public static class CacheNearCache {

		/**
		 * Whether the cache keeps a near tier (decoded values in this instance's memory, invalidated
		 * by the regions' announcements).
		 */
		private boolean enabled;

		/**
		 * Most entries of this cache's near tier. Defaults to near-cache.max-size.
		 */
		private @Nullable Long maxSize;

		/**
		 * Longest time a near entry of this cache is served. Defaults to near-cache.max-staleness.
		 */
		private @Nullable Duration maxStaleness;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Long getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(@Nullable Long maxSize) {
			this.maxSize = maxSize;
		}

		public @Nullable Duration getMaxStaleness() {
			return this.maxStaleness;
		}

		public void setMaxStaleness(@Nullable Duration maxStaleness) {
			this.maxStaleness = maxStaleness;
		}

	}

	/**
	 * AES-GCM encryption of one cache's values, on when keys are given.
	 */
	public static class Encryption {

		/**
		 * AES keys (128, 192 or 256 bits, base64) by key id. Entries written with any of them are
		 * read; keep a retired key until its entries have expired.
		 */
		private Map<String, String> keys = new LinkedHashMap<>();

		/**
		 * Id of the key new writes use. Defaults to the last key listed.
		 */
		private @Nullable String primaryKey;

		public Map<String, String> getKeys() {
			return this.keys;
		}

		public void setKeys(Map<String, String> keys) {
			this.keys = keys;
		}

		public @Nullable String getPrimaryKey() {
			return this.primaryKey;
		}

		public void setPrimaryKey(@Nullable String primaryKey) {
			this.primaryKey = primaryKey;
		}

	}

	/**
	 * HMAC-SHA256 hashing of one cache's keys, on when a secret is given.
	 */
	public static class KeyProtection {

		/**
		 * Secret (base64, at least 128 bits, distinct from the encryption keys) the cache's keys are
		 * hashed with. Changing it starts the cache empty.
		 */
		private @Nullable String secret;

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

	}

	/**
	 * Value encoding: JSON whose type information is checked against an allowlist.
	 */
	public static class Codec {

		/**
		 * Packages whose classes may be read back from the cache, in addition to the
		 * application's own packages and the standard JDK value and collection types.
		 */
		private List<String> allowedPackages = new ArrayList<>();

		public List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		public void setAllowedPackages(List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

	}

	/**
	 * Replay journal of the writes and evictions a region missed.
	 */
	public static class Journal {

		/**
		 * Largest number of distinct keys journaled for one region. Past it the region is marked
		 * for a full resync.
		 */
		private int maxEntries = 100_000;

		/**
		 * Largest number of keys kept in memory for a region when no region can hold its journal.
		 */
		private int memoryMaxEntries = 10_000;

		public int getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(int maxEntries) {
			this.maxEntries = maxEntries;
		}

		public int getMemoryMaxEntries() {
			return this.memoryMaxEntries;
		}

		public void setMemoryMaxEntries(int memoryMaxEntries) {
			this.memoryMaxEntries = memoryMaxEntries;
		}

	}

	/**
	 * Failback prober of regions whose breaker opened.
	 */
	public static class Probe {

		/**
		 * Time between two probe rounds (every region not offline is probed in each).
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * Largest random delay added to each probe interval, so that instances do not probe in step.
		 */
		private Duration jitter = Duration.ofMillis(200);

		/**
		 * Consecutive successful probes before a failed region is reconciled and used again.
		 */
		private int successesToRecover = 3;

		/**
		 * Longest wait for one probe. A region fails over on probes only when two in a row fail,
		 * so this can be generous: a stopped server refuses at once, and a hung one opens the breaker.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

		public int getSuccessesToRecover() {
			return this.successesToRecover;
		}

		public void setSuccessesToRecover(int successesToRecover) {
			this.successesToRecover = successesToRecover;
		}

	}

	/**
	 * Periodic anti-entropy reconciliation of all regions.
	 */
	public static class Reconciliation {

		/**
		 * Whether regions are compared and repaired periodically.
		 */
		private boolean enabled = true;

		/**
		 * Time between two reconciliation runs.
		 */
		private Duration interval = Duration.ofMinutes(5);

		/**
		 * Number of keys compared per round trip.
		 */
		private int batchSize = 200;

		/**
		 * Largest number of keys compared per second, so that reconciliation never hurts live traffic.
		 */
		private int maxKeysPerSecond = 5_000;

		/**
		 * Rate limit of a resync that rebuilds a region from a healthy peer, in keys per second
		 * (each pass: the copy, then the check of what the peer lacks).
		 */
		private int resyncMaxKeysPerSecond = 50_000;

		public int getResyncMaxKeysPerSecond() {
			return this.resyncMaxKeysPerSecond;
		}

		public void setResyncMaxKeysPerSecond(int resyncMaxKeysPerSecond) {
			this.resyncMaxKeysPerSecond = resyncMaxKeysPerSecond;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public int getMaxKeysPerSecond() {
			return this.maxKeysPerSecond;
		}

		public void setMaxKeysPerSecond(int maxKeysPerSecond) {
			this.maxKeysPerSecond = maxKeysPerSecond;
		}

	}

	/**
	 * Live stream of region states and rates as Server-Sent Events, in servlet web applications.
	 */
	public static class Stream {

		/**
		 * Whether the stream of region states and rates is served.
		 */
		private boolean enabled;

		/**
		 * Path the stream is served at, on the application's port (not the management port).
		 */
		private String path = "/resilient-cache/stream";

		/**
		 * Time between two "rates" events.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * Largest number of clients connected at once. Past it a client gets HTTP 503.
		 */
		private int maxSubscribers = 16;

		/**
		 * Largest number of clients connected at once from one client address, so that one client
		 * cannot hold every slot. Past it the client gets HTTP 503.
		 */
		private int maxSubscribersPerClient = 2;

		/**
		 * Time after which a client's stream ends; a browser's EventSource reconnects by itself.
		 */
		private Duration timeout = Duration.ofMinutes(10);

		public int getMaxSubscribersPerClient() {
			return this.maxSubscribersPerClient;
		}

		public void setMaxSubscribersPerClient(int maxSubscribersPerClient) {
			this.maxSubscribersPerClient = maxSubscribersPerClient;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getMaxSubscribers() {
			return this.maxSubscribers;
		}

		public void setMaxSubscribers(int maxSubscribers) {
			this.maxSubscribers = maxSubscribers;
		}

	}

	/**
	 * Coordination between application instances through Redis.
	 */
	public static class Coordination {

		/**
		 * Shared secret that signs region status messages (HMAC-SHA256): when set, an instance
		 * applies only messages and stored statuses signed with it, so that whoever can write to
		 * Redis cannot take a region offline. Set the same value on every instance; never logged.
		 */
		private @Nullable String secret;

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

	}

	/**
	 * Fleet-wide connectivity telemetry (every instance's view of every region, through a Redis
	 * stream) and the recovery actions invoked once per fleet when a region fails.
	 */
	public static class Fleet {

		/**
		 * Whether this instance publishes its view of the regions to the fleet, reads the
		 * fleet's, and takes part in invoking recovery actions.
		 */
		private boolean enabled;

		/**
		 * Time between two snapshots of this instance.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * About how many snapshots each region's stream keeps (XADD MAXLEN ~); at least twice
		 * the number of instances.
		 */
		private int streamMaxLength = 1000;

		/**
		 * Age past which an instance's newest snapshot is stale: the instance is shown as such
		 * and left out of quorums.
		 */
		private Duration staleAfter = Duration.ofSeconds(5);

		/**
		 * Share of the instances reporting a region that must see it failed, more than which an
		 * incident opens (0.5: a strict majority). Between 0 and 1.
		 */
		private double quorum = 0.5;

		/**
		 * How long a quorum must have seen a region failed before an incident opens and the
		 * recovery actions are invoked.
		 */
		private Duration threshold = Duration.ofSeconds(30);

		/**
		 * How long after an incident of a region closed no new incident of that region opens.
		 */
		private Duration coolDown = Duration.ofMinutes(10);

		/**
		 * Lease of the leader instance that opens incidents, renewed every interval; another
		 * instance takes over when it expires. At least twice the interval.
		 */
		private Duration leaderLease = Duration.ofSeconds(5);

		/**
		 * Incidents that may invoke the recovery actions per max-actions-period, across regions.
		 */
		private int maxActions = 5;

		/**
		 * Period of max-actions.
		 */
		private Duration maxActionsPeriod = Duration.ofHours(1);

		private final Webhook webhook = new Webhook();

		public Webhook getWebhook() {
			return this.webhook;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getStreamMaxLength() {
			return this.streamMaxLength;
		}

		public void setStreamMaxLength(int streamMaxLength) {
			this.streamMaxLength = streamMaxLength;
		}

		public Duration getStaleAfter() {
			return this.staleAfter;
		}

		public void setStaleAfter(Duration staleAfter) {
			this.staleAfter = staleAfter;
		}

		public double getQuorum() {
			return this.quorum;
		}

		public void setQuorum(double quorum) {
			this.quorum = quorum;
		}

		public Duration getThreshold() {
			return this.threshold;
		}

		public void setThreshold(Duration threshold) {
			this.threshold = threshold;
		}

		public Duration getCoolDown() {
			return this.coolDown;
		}

		public void setCoolDown(Duration coolDown) {
			this.coolDown = coolDown;
		}

		public Duration getLeaderLease() {
			return this.leaderLease;
		}

		public void setLeaderLease(Duration leaderLease) {
			this.leaderLease = leaderLease;
		}

		public int getMaxActions() {
			return this.maxActions;
		}

		public void setMaxActions(int maxActions) {
			this.maxActions = maxActions;
		}

		public Duration getMaxActionsPeriod() {
			return this.maxActionsPeriod;
		}

		public void setMaxActionsPeriod(Duration maxActionsPeriod) {
			this.maxActionsPeriod = maxActionsPeriod;
		}

	}

	/**
	 * A webhook invoked as a recovery action: POSTs each incident as JSON.
	 */
	public static class Webhook {

		/**
		 * URL the incidents are POSTed to; no webhook when not set. Logged without user info or
		 * query.
		 */
		private @Nullable URI url;

		/**
		 * Longest wait to connect to the webhook.
		 */
		private Duration connectTimeout = Duration.ofSeconds(2);

		/**
		 * Longest wait for one attempt's response.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * Attempts after the first one, for failures a retry can fix (no answer, 408, 429, 5xx).
		 */
		private int retries = 2;

		/**
		 * Wait before the first retry, doubled for each next one.
		 */
		private Duration retryBackoff = Duration.ofMillis(500);

		public @Nullable URI getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable URI url) {
			this.url = url;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getRetries() {
			return this.retries;
		}

		public void setRetries(int retries) {
			this.retries = retries;
		}

		public Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

	}

}
