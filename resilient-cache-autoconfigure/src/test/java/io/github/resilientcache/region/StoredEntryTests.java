package io.github.resilientcache.region;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StoredEntryTests {

	@Test
	void valueRoundTripsWithBinaryPayload() {
		byte[] payload = "line\r\nwith {tag} :: and *glob*\n\0".getBytes(StandardCharsets.UTF_8);
		StoredEntry entry = StoredEntry.value(new Version(123456789L, "east"), payload);
		StoredEntry read = StoredEntry.fromBytes(entry.toBytes());
		assertThat(read.kind()).isEqualTo(StoredEntry.Kind.VALUE);
		assertThat(read.version()).isEqualTo(new Version(123456789L, "east"));
		assertThat(read.payload()).isEqualTo(payload);
		assertThat(read.isPresent()).isTrue();
	}

	@Test
	void tombstoneAndNullHaveNoPayload() {
		StoredEntry tombstone = StoredEntry.fromBytes(StoredEntry.tombstone(new Version(1, "west")).toBytes());
		assertThat(tombstone.isPresent()).isFalse();
		assertThat(tombstone.payload()).isEmpty();
		StoredEntry cachedNull = StoredEntry.fromBytes(StoredEntry.nullValue(new Version(1, "west")).toBytes());
		assertThat(cachedNull.kind()).isEqualTo(StoredEntry.Kind.NULL);
		assertThat(cachedNull.isPresent()).isTrue();
	}

	@Test
	void missingKeyIsNull() {
		assertThat(StoredEntry.fromBytes(null)).isNull();
	}

	@Test
	void foreignBytesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> StoredEntry.fromBytes("plain value".getBytes(StandardCharsets.UTF_8)));
		assertThatIllegalArgumentException().isThrownBy(() -> StoredEntry.fromBytes(new byte[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> StoredEntry.fromBytes("X0000000000000001:east\npayload".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void sortKeysOrderLikeVersions() {
		Version older = new Version(0xFFL, "west");
		Version newer = new Version(0x100L, "east");
		Version tieBreak = new Version(0x100L, "west");
		assertThat(older.sortKey().compareTo(newer.sortKey())).isNegative();
		assertThat(newer.sortKey().compareTo(tieBreak.sortKey())).isNegative();
		assertThat(older).isLessThan(newer);
		assertThat(newer).isLessThan(tieBreak);
		assertThat(Version.parse(tieBreak.sortKey())).isEqualTo(tieBreak);
	}

}
