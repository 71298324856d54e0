package io.github.resilientcache.region;

import io.github.resilientcache.region.NearAnnouncements.Announcement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Announcements are data read from Redis: what the starter writes parses back exactly, anything
 * else (forged, truncated, foreign) is refused rather than guessed at.
 */
class NearAnnouncementsTests {

	@Test
	void keyAnnouncementParsesBackWithAKeyHoldingNewlines() {
		Announcement announcement = NearAnnouncements.parse(NearAnnouncements.keyMessage(1764650000123456L, "01a2:east", "rc:fx::a\nb"));
		assertThat(announcement).isEqualTo(new Announcement('K', 1764650000123456L, "01a2:east", "rc:fx::a\nb"));
	}

	@Test
	void deleteCarriesAnEmptyVersion() {
		assertThat(NearAnnouncements.parse(NearAnnouncements.keyMessage(5, "", "rc:fx::k")).version()).isEmpty();
	}

	@Test
	void clearAndHeartbeatParse() {
		assertThat(NearAnnouncements.parse(NearAnnouncements.clearMessage(7, "rc:fx::*"))).isEqualTo(new Announcement('C', 7, "", "rc:fx::*"));
		assertThat(NearAnnouncements.parse(NearAnnouncements.heartbeat(8, "host-1")).kind()).isEqualTo('H');
	}

	@Test
	void refusesWhatTheStarterDoesNotWrite() {
		assertThat(NearAnnouncements.parse("")).isNull();
		assertThat(NearAnnouncements.parse("X123\nv\nk")).isNull();
		assertThat(NearAnnouncements.parse("K12a\nv\nk")).isNull();
		assertThat(NearAnnouncements.parse("K\nv\nk")).isNull();
		assertThat(NearAnnouncements.parse("K123\nv")).isNull();
		assertThat(NearAnnouncements.parse("K123\nv\n")).isNull();
		assertThat(NearAnnouncements.parse("K123456789012345678901\nv\nk")).as("a time of more than 18 digits").isNull();
	}

}
