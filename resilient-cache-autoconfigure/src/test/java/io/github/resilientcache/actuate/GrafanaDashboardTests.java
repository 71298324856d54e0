package io.github.resilientcache.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard in docs/ is built on documented meters only, as Prometheus names them, and
 * every panel says what it shows; every fleet meter is on it.
 */
class GrafanaDashboardTests {

	private static final Path DASHBOARD = Path.of("../docs/grafana/resilient-cache-dashboard.json");

	/** A metric name: an identifier followed by its label selector. */
	private static final Pattern METRIC = Pattern.compile("([a-z][a-z0-9_]*)\\{");

	@Test
	void everyQueryUsesADocumentedMeter() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
		Set<String> documented = documentedPrometheusNames();
		List<JsonNode> panels = dashboard.get("panels").valueStream().toList();
		assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
		for (JsonNode panel : panels) {
			assertThat(panel.path("description").asString()).as("description of %s", panel.get("title")).hasSizeGreaterThan(20);
			for (JsonNode target : panel.get("targets")) {
				Matcher metric = METRIC.matcher(target.get("expr").asString());
				while (metric.find()) {
					String name = metric.group(1);
					assertThat(documented.contains(name) || name.startsWith("resilience4j_circuitbreaker_"))
						.as("%s in panel %s is a documented meter", name, panel.get("title"))
						.isTrue();
				}
			}
		}
	}

	@Test
	void everyFleetMeterHasAPanel() throws IOException {
		String dashboard = Files.readString(DASHBOARD);
		for (FleetMeters meter : FleetMeters.values()) {
			assertThat(prometheusNames(meter.getName(), meter.getType())).as(meter.getName()).anyMatch((name) -> dashboard.contains(name + "{"));
		}
	}

	private static Set<String> documentedPrometheusNames() {
		Set<String> names = new HashSet<>(Set.of("cache_gets_total", "cache_puts_total", "cache_evictions_total"));
		for (ResilientCacheMeters meter : ResilientCacheMeters.values()) {
			names.addAll(prometheusNames(meter.getName(), meter.getType()));
		}
		for (FleetMeters meter : FleetMeters.values()) {
			names.addAll(prometheusNames(meter.getName(), meter.getType()));
		}
		return names;
	}

	private static List<String> prometheusNames(String name, Meter.Type type) {
		String base = name.replace('.', '_');
		if (type == Meter.Type.COUNTER) {
			return List.of(base + "_total");
		}
		if (type == Meter.Type.TIMER) {
			return List.of("_count", "_sum", "_max", "_bucket").stream().map((suffix) -> base + "_seconds" + suffix).toList();
		}
		return List.of(base);
	}

}
