package io.github.resilientcache.cache;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.region.RegionState;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.SystemRedis;
import io.github.resilientcache.test.TestCertificates;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two regions on Redis 7 servers (the system's redis-server) over TLS, with certificates of a CA
 * made in the test and verified by the client, and an ACL user limited to the key prefix and the
 * commands the starter sends: reads, writes, evictions, replication, a region's failure and
 * failback (journal, lock, replay, status channel) and anti-entropy all work, and the servers'
 * ACL logs show no denied command. The ACL line is the one docs/security.md documents.
 */
class TlsAclTests {

	/** docs/security.md shows this line, with the prefix rc. */
	static final String ACL = "user payments on >payments-password resetkeys ~rc:* ~redisson_lock__channel:rc:* ~redisson_lock__channel:{rc:* ~redisson_unlock_latch:rc:* ~redisson_unlock_latch:{rc:* "
			+ "resetchannels &rc:* &redisson_lock__channel:rc:* &redisson_lock__channel:{rc:* "
			+ "-@all +@connection +get +getrange +set +psetex +del +rename +type +unlink +exists +pttl +pexpire +scan +dbsize +hget +hset +hincrby +hdel +hlen +hexists +hgetall "
			+ "+hscan +eval +evalsha +eval_ro +evalsha_ro +script|load +script|exists +publish +subscribe +unsubscribe +psubscribe +punsubscribe +info";

	@TempDir
	static Path directory;

	private static SystemRedis east;

	private static SystemRedis west;

	private static TestCertificates certificates;

	@BeforeAll
	static void startServers() {
		Path binary = SystemRedis.requireRedis7();
		certificates = TestCertificates.create(directory);
		east = SystemRedis.startTls(binary, directory.resolve("east"), certificates, List.of(ACL));
		west = SystemRedis.startTls(binary, directory.resolve("west"), certificates, List.of(ACL));
	}

	@AfterAll
	static void stopServers() {
		if (east != null) {
			east.close();
		}
		if (west != null) {
			west.close();
		}
	}

	@Test
	void servesOverVerifiedTlsAsAnAclUserLimitedToThePrefix() {
		contextRunner(true).run((context) -> {
			// Both regions serving, not still starting: the second read comes from one, west is stopped.
			Regions regions = TestApplications.serving(context);
			AccountService service = context.getBean(AccountService.class);
			service.find("a1");
			service.find("a1");
			assertThat(service.loads()).as("the second read came from Redis over TLS").isOne();
			service.setBalance("a1", BigDecimal.TEN);
			await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(1).equals(west.admin("EXISTS", "rc:accounts::a1")));
			west.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				service.setBalance("a2", BigDecimal.ONE);
				return regions.get("west").state() == RegionState.OPEN;
			});
			service.blockCard("a1");
			west.start();
			await().atMost(Duration.ofSeconds(20)).until(() -> regions.get("west").state() == RegionState.UP);
			// West came back empty (a restart): the recovery resynced it. Writes reach it again.
			service.setBalance("a3", BigDecimal.ONE);
			await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(1).equals(west.admin("EXISTS", "rc:accounts::a3")));
			context.getBean(AntiEntropyReconciler.class).reconcileNow();
			context.getBean(CacheManager.class).getCache("accounts").clear();
			assertThat(List.of(denied(east), denied(west))).as("commands the ACL denied in east and in west").containsOnly(List.of());
		});
		assertThat(String.valueOf(east.as("payments", "payments-password", "GET", "other-app:key"))).contains("NOPERM");
		assertThat(String.valueOf(east.as("payments", "payments-password", "FLUSHALL"))).contains("NOPERM");
	}

	@Test
	void refusesAServerItsTrustStoreDoesNotVouchFor() {
		contextRunner(false).run((context) -> {
			AccountService service = context.getBean(AccountService.class);
			service.find("v1");
			service.find("v1");
			assertThat(service.loads()).as("no TLS connection, so every read is a miss").isEqualTo(2);
			assertThat(east.admin("EXISTS", "rc:accounts::v1")).isEqualTo(0L);
		});
	}

	/**
	 * The entries of a server's ACL log, but Redisson's cluster detection: at connect, a client in
	 * single-server mode sends an EVAL of GETs on the keys test1 and test2 and takes any error as
	 * "not a cluster", so its denial is harmless and expected.
	 */
	private static List<Object> denied(SystemRedis server) {
		return ((List<?>) server.admin("ACL", "LOG")).stream()
			.filter((entry) -> !String.valueOf(entry).contains("object, test1"))
			.map(Object.class::cast)
			.toList();
	}

	private ApplicationContextRunner contextRunner(boolean trustTheTestCa) {
		List<String> properties = new java.util.ArrayList<>(List.of("resilient-cache.local-region=east",
				"resilient-cache.regions.east.address=rediss://127.0.0.1:" + east.tlsPort(),
				"resilient-cache.regions.west.address=rediss://127.0.0.1:" + west.tlsPort(),
				"resilient-cache.regions.east.username=payments", "resilient-cache.regions.east.password=payments-password",
				"resilient-cache.regions.west.username=payments", "resilient-cache.regions.west.password=payments-password",
				"resilient-cache.key-prefix=rc"));
		if (trustTheTestCa) {
			for (String region : List.of("east", "west")) {
				properties.add("resilient-cache.regions." + region + ".ssl.trust-store=file:" + certificates.trustStore());
				properties.add("resilient-cache.regions." + region + ".ssl.trust-store-password=" + certificates.trustStorePassword());
			}
		}
		return TestApplications.runner(properties);
	}

}
