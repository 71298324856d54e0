package io.github.resilientcache.fleet;

import java.time.Instant;
import java.util.regex.Pattern;

import io.github.resilientcache.fleet.RegionIncident.Phase;
import org.jspecify.annotations.Nullable;

/**
 * The fleet's record of a region's incident, kept in another region:
 * {@code v1|id|region|openedAtMillis|phase|recoveredAtMillis[|signature]}. Read back from Redis, so
 * parsed strictly; a record that does not parse (or is not signed when a secret is set) is removed.
 * @param id the incident's identity
 * @param region the failed region
 * @param openedAt when it was opened
 * @param phase FAILED until recovered, then RECOVERED during the cool-down
 * @param recoveredAt when it was recovered, {@code null} while failed
 */
record IncidentRecord(String id, String region, Instant openedAt, Phase phase, @Nullable Instant recoveredAt) {

	private static final String VERSION = "v1";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,160}");

	String encode(Signer signer) {
		return signer.sign(String.join("|", VERSION, this.id, this.region, Long.toString(this.openedAt.toEpochMilli()), this.phase.name(),
				Long.toString((this.recoveredAt != null) ? this.recoveredAt.toEpochMilli() : 0)));
	}

	IncidentRecord recovered(Instant at) {
		return new IncidentRecord(this.id, this.region, this.openedAt, Phase.RECOVERED, at);
	}

	static @Nullable IncidentRecord parse(String text, Signer signer, String expectedRegion) {
		String body = (text.length() <= 1024) ? signer.verify(text) : null;
		if (body == null) {
			return null;
		}
		String[] parts = body.split("\\|", -1);
		if (parts.length != 6 || !VERSION.equals(parts[0]) || !NAME.matcher(parts[1]).matches() || !expectedRegion.equals(parts[2])) {
			return null;
		}
		try {
			long opened = Long.parseLong(parts[3]);
			long recovered = Long.parseLong(parts[5]);
			Phase phase = Phase.valueOf(parts[4]);
			if (opened <= 0 || (phase == Phase.RECOVERED) != (recovered > 0)) {
				return null;
			}
			return new IncidentRecord(parts[1], parts[2], Instant.ofEpochMilli(opened), phase,
					(recovered > 0) ? Instant.ofEpochMilli(recovered) : null);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
