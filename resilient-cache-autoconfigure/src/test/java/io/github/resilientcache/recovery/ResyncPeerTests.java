package io.github.resilientcache.recovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientcache.region.KeySpace;
import io.github.resilientcache.region.Region;
import io.github.resilientcache.region.RegionStore;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.region.StoredEntry;
import io.github.resilientcache.region.Version;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.JournalStore;
import io.github.resilientcache.replication.ReplayJournal;
import io.github.resilientcache.test.RedisRegions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which region a resync copies from, with three real servers: the copy also decides what the target
 * keeps (what the peer lacks is deleted), so a peer that lost its own data must not be the source
 * while a sound one can be. The scenario is a start-up, where every region is still RECOVERING.
 */
class ResyncPeerTests {

	private static final int KEYS = 20;

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west", "north");

	private final List<RedissonClient> clients = new ArrayList<>();

	private Regions all;

	private ReplayJournal journal;

	private JournalReplayer replayer;

	@BeforeEach
	void createRegions() {
		List<Region> list = new ArrayList<>();
		for (String name : regions.names()) {
			Config config = new Config();
			config.setUseScriptCache(true);
			config.useSingleServer().setAddress(regions.address(name)).setConnectionMinimumIdleSize(1).setConnectionPoolSize(4);
			RedissonClient client = Redisson.create(config);
			this.clients.add(client);
			list.add(new Region(name, name.equals("east"), new RegionStore(client, () -> Long.MAX_VALUE), CircuitBreaker.ofDefaults("test-" + name),
					Duration.ofSeconds(2)));
		}
		this.all = new Regions(list, new KeySpace("rc"));
		HybridLogicalClock clock = new HybridLogicalClock(Duration.ofSeconds(5));
		this.journal = new ReplayJournal(this.all, new JournalStore(this.all.keys()), 1_000, 1_000, "test");
		this.replayer = new JournalReplayer(this.all, this.journal, clock, 100, 100_000);
	}

	@AfterEach
	void close() {
		this.all.close();
		this.clients.forEach((client) -> client.shutdown(0, 2, TimeUnit.SECONDS));
	}

	@Test
	void aResyncAtStartCopiesFromAPeerThatKeptItsDataNotFromOneThatLostIt() {
		// East and north hold the entries; west restarted empty and needs a resync itself. West comes
		// first in the configuration, so the first candidate would be the one that lost everything.
		byte[] payload = "{\"balance\":42}".getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < KEYS; i++) {
			StoredEntry entry = StoredEntry.value(new Version(System.currentTimeMillis() << 16, "north"), payload);
			this.all.get("east").direct().write("rc:accounts::k" + i, entry, 600_000).toCompletableFuture().join();
			this.all.get("north").direct().write("rc:accounts::k" + i, entry, 600_000).toCompletableFuture().join();
		}
		for (Region region : this.all.all()) {
			region.beginRecovery("first probe succeeded");
		}
		this.journal.requireResync(this.all.get("west"));
		this.journal.requireResync(this.all.get("east"));

		Region east = this.all.get("east");
		assertThat(this.replayer.resyncPeer(east, List.of(this.all.get("west"), this.all.get("north")))).extracting(Region::name).isEqualTo("north");
		ReplayResult result = this.replayer.replay(east, true, Region::acceptsWrites);

		assertThat(result.resync()).isTrue();
		assertThat(result.peerKeys()).as("entries of the peer copied from").isEqualTo(KEYS);
		assertThat(result.deleted()).isZero();
		assertThat(regions.get("east").dbSize()).as("east keeps what it held").isGreaterThanOrEqualTo(KEYS);
		for (int i = 0; i < KEYS; i++) {
			assertThat(regions.get("east").command("EXISTS", "rc:accounts::k" + i)).isEqualTo(1L);
		}
	}

	@Test
	void aPeerThatServesComesBeforeOnesStillRecovering() {
		Region west = this.all.get("west");
		Region north = this.all.get("north");
		west.beginRecovery("first probe succeeded");
		north.beginRecovery("first probe succeeded");
		north.recovered("reconciled");

		assertThat(this.replayer.resyncPeer(this.all.get("east"), List.of(west, north))).isSameAs(north);
	}

	@Test
	void aPeerThatNeedsAResyncIsStillTakenWhenNoOtherCanBe() {
		Region west = this.all.get("west");
		west.beginRecovery("first probe succeeded");
		this.journal.requireResync(west);

		assertThat(this.replayer.resyncPeer(this.all.get("east"), List.of(west))).isSameAs(west);
	}

}
