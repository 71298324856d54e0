package io.github.resilientcache.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilientcache.fleet.FleetSnapshot.Cell;
import io.github.resilientcache.region.RegionState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots are read back from Redis, so parsed strictly: only well-formed, rightly signed text is a
 * snapshot, and no credential or separator of a reason survives into the stream.
 */
class FleetSnapshotTests {

	private static FleetSnapshot snapshot(String reason) {
		Map<String, Cell> cells = new LinkedHashMap<>();
		cells.put("east", new Cell(RegionState.OPEN, "OPEN", 100f, -1f, -1f, 0f, 12, 1_700_000_000_000L, reason));
		cells.put("west", new Cell(RegionState.UP, "CLOSED", 0f, 0f, 1.25f, 840.5f, 0, 1_700_000_000_001L, "ok"));
		return new FleetSnapshot("host-1-abcd", "east", 1_700_000_000_500L, 7, cells);
	}

	@Test
	void signedSnapshotReadsBackAsItWas() {
		Signer signer = new Signer("s3cret");
		FleetSnapshot snapshot = snapshot("probe failed");
		assertThat(FleetSnapshot.parse(snapshot.encode(signer), signer)).isEqualTo(snapshot);
	}

	@Test
	void unsignedOrWronglySignedSnapshotIsRejectedWhenASecretIsSet() {
		Signer signer = new Signer("s3cret");
		assertThat(FleetSnapshot.parse(snapshot("x").encode(new Signer(null)), signer)).isNull();
		assertThat(FleetSnapshot.parse(snapshot("x").encode(new Signer("other")), signer)).isNull();
		String signed = snapshot("x").encode(signer);
		assertThat(FleetSnapshot.parse(signed.replace("OPEN,OPEN", "UP,OPEN"), signer)).isNull();
	}

	@Test
	void malformedSnapshotsAreRejected() {
		Signer none = new Signer(null);
		String good = snapshot("x").encode(none);
		assertThat(FleetSnapshot.parse(good, none)).isNotNull();
		assertThat(FleetSnapshot.parse(good.replace("v2|", "v1|"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace("OPEN,OPEN", "DOWN,OPEN"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace("100.0", "NaN"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace("100.0", "250.0"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace("host-1-abcd", "host 1"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace(",12,", ",-3,"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace(",1.25,", ",NaN,"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace(",1.25,", ",-2.0,"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace(",840.5,", ",Infinity,"), none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace(",840.5,", ",1.0E12,"), none)).isNull();
		assertThat(FleetSnapshot.parse(good + ";east,UP,CLOSED,0.0,0.0,-1.0,-1.0,0,1,dup", none)).isNull();
		assertThat(FleetSnapshot.parse(good.replace(",1.25,840.5,", ","), none)).as("a cell without latency and rate").isNull();
		assertThat(FleetSnapshot.parse("x".repeat(FleetSnapshot.MAX_LENGTH + 1), none)).isNull();
	}

	@Test
	void latencyAndCallRateReadBackAndAreBoundedWhenPublished() {
		FleetSnapshot snapshot = FleetSnapshot.parse(snapshot("x").encode(new Signer(null)), new Signer(null));
		assertThat(snapshot).isNotNull();
		assertThat(snapshot.regions().get("west").p99Millis()).isEqualTo(1.25f);
		assertThat(snapshot.regions().get("west").callsPerSecond()).isEqualTo(840.5f);
		assertThat(snapshot.regions().get("east").p99Millis()).isEqualTo(-1f);
		// What a reader would refuse is never published: unknown as -1, too much as the bound.
		assertThat(FleetSnapshot.latency(Float.NaN)).isEqualTo(-1f);
		assertThat(FleetSnapshot.latency(-0.5f)).isEqualTo(-1f);
		assertThat(FleetSnapshot.latency(Float.POSITIVE_INFINITY)).isEqualTo(3_600_000f);
		assertThat(FleetSnapshot.callRate(2e12f)).isEqualTo(1e9f);
	}

	@Test
	void reasonsLoseCredentialsAndSeparators() {
		String reason = FleetSnapshot.clean("refused by redis://app:s3cret@10.0.0.1:6379 | then; more,\nlines");
		assertThat(reason).doesNotContain("s3cret").doesNotContain("|").doesNotContain(";").doesNotContain(",").doesNotContain("\n")
			.contains("redis://10.0.0.1:6379");
		FleetSnapshot snapshot = snapshot(reason);
		assertThat(FleetSnapshot.parse(snapshot.encode(new Signer(null)), new Signer(null))).isEqualTo(snapshot);
		assertThat(FleetSnapshot.clean("y".repeat(1000))).hasSize(FleetSnapshot.MAX_REASON);
	}

}
