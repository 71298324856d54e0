package io.github.resilientcache.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.resilientcache.actuate.FleetDescriptor;
import io.github.resilientcache.actuate.FleetMeters;
import io.github.resilientcache.actuate.ResilientCacheEndpoint;
import io.github.resilientcache.fleet.FleetTelemetry;
import io.github.resilientcache.fleet.RegionLoad;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.test.RedisRegions;
import io.github.resilientcache.testapp.AccountService;
import io.github.resilientcache.testapp.TestApplications;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet auto-configuration: off by default (no bean, no stream, no thread), on with one
 * property (a stream in every region, the fleet view on the endpoint, its meters), forged snapshots
 * rejected and counted, bad settings refused at start-up.
 */
class ResilientCacheFleetAutoConfigurationTests {

	@RegisterExtension
	static final RedisRegions regions = RedisRegions.named("east", "west");

	private final ApplicationContextRunner runner = TestApplications.runner(regions, "east")
		.withConfiguration(AutoConfigurations.of(ResilientCacheFleetAutoConfiguration.class, ResilientCacheEndpointAutoConfiguration.class,
				MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=resilientcache", "resilient-cache.fleet.interval=200ms",
				"resilient-cache.fleet.stale-after=2s", "resilient-cache.fleet.leader-lease=1s");

	@Test
	void telemetryOffByDefaultLeavesNoStreamNoSubscriberAndNoThread() {
		this.runner.withPropertyValues("spring.application.name=plain-off").run((context) -> {
			assertThat(context).doesNotHaveBean(FleetTelemetry.class).doesNotHaveBean(RegionLoad.Source.class);
			Regions instance = context.getBean(Regions.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> TestApplications.allUp(instance));
			// Cache traffic: with the telemetry off, nothing of the fleet follows it either.
			AccountService accounts = context.getBean(AccountService.class);
			for (int i = 0; i < 20; i++) {
				accounts.find("off-" + i);
			}
			String fleetKeys = instance.keys().fleetStream().replace("fleet-snapshots", "fleet*");
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
				.until(() -> keys("east", fleetKeys).isEmpty() && keys("west", fleetKeys).isEmpty() && fleetThreads().isEmpty());
			for (String region : List.of("east", "west")) {
				assertThat((List<?>) regions.get(region).command("PUBSUB", "CHANNELS", "*fleet*")).as("fleet channels in %s", region).isEmpty();
			}
			assertThat(context.getBean(ResilientCacheEndpoint.class).region("fleet")).isNull();
			assertThat(context.getBean(MeterRegistry.class).find("resilient.cache.fleet.snapshots.published").meters()).isEmpty();
		});
	}

	@Test
	void telemetryOnStreamsToEveryRegionAndShowsTheFleetOnTheEndpointAndMeters() {
		this.runner.withPropertyValues("resilient-cache.fleet.enabled=true").run((context) -> {
			FleetTelemetry telemetry = context.getBean(FleetTelemetry.class);
			String stream = context.getBean(Regions.class).keys().fleetStream();
			await().atMost(Duration.ofSeconds(20)).until(() -> exists("east", stream) && exists("west", stream)
					&& telemetry.view().rows().stream().anyMatch((row) -> !row.stale()
							&& row.regions().values().stream().allMatch((cell) -> cell.state().equals("UP"))));
			assertThat(fleetThreads()).isNotEmpty();
			FleetDescriptor fleet = (FleetDescriptor) context.getBean(ResilientCacheEndpoint.class).region("fleet");
			assertThat(fleet).isNotNull();
			assertThat(fleet.regions()).containsExactly("east", "west");
			assertThat(fleet.instances()).extracting((row) -> row.instance()).containsExactly(telemetry.instanceId());
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> registry.get(FleetMeters.SNAPSHOTS_PUBLISHED.getName()).functionCounter().count() > 0);
			for (FleetMeters documented : FleetMeters.values()) {
				List<Meter> meters = List.copyOf(registry.find(documented.getName()).meters());
				assertThat(meters).as(documented.getName()).isNotEmpty();
				Set<String> keys = Arrays.stream(documented.getKeyNames()).map(KeyName::asString).collect(Collectors.toSet());
				assertThat(meters).allSatisfy((meter) -> {
					assertThat(meter.getId().getType()).isEqualTo(documented.getType());
					assertThat(meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet())).isEqualTo(keys);
				});
			}
		});
	}

	@Test
	void forgedSnapshotsAreRejectedCountedAndNeverShown() {
		this.runner.withPropertyValues("resilient-cache.fleet.enabled=true", "resilient-cache.coordination.secret=fleet-s3cret")
			.run((context) -> {
				FleetTelemetry telemetry = context.getBean(FleetTelemetry.class);
				String stream = context.getBean(Regions.class).keys().fleetStream();
				await().atMost(Duration.ofSeconds(20)).until(() -> exists("west", stream) && !telemetry.view().rows().isEmpty());
				long now = System.currentTimeMillis();
				String unsigned = "v2|forged-1|east|" + now + "|1|east,OPEN,OPEN,100.0,0.0,-1.0,-1.0,0," + now + ",forged";
				regions.get("west").command("XADD", stream, "*", "s", unsigned);
				regions.get("west").command("XADD", stream, "*", "s", unsigned + "|" + "ab".repeat(32));
				regions.get("west").command("XADD", stream, "*", "s", "not a snapshot");
				await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.rejectedCount() >= 3);
				assertThat(telemetry.view().rows()).extracting((row) -> row.instance()).containsExactly(telemetry.instanceId());
			});
	}

	@Test
	void failsWhenQuorumIsOutOfRange() {
		this.runner.withPropertyValues("resilient-cache.fleet.enabled=true", "resilient-cache.fleet.quorum=1.5")
			.run((context) -> assertFailure(context.getStartupFailure(), "resilient-cache.fleet.quorum", "below 1"));
	}

	@Test
	void failsWhenStaleAfterIsShorterThanTwoIntervals() {
		this.runner.withPropertyValues("resilient-cache.fleet.stale-after=300ms")
			.run((context) -> assertFailure(context.getStartupFailure(), "resilient-cache.fleet.stale-after", "twice resilient-cache.fleet.interval"));
	}

	@Test
	void failsWhenTheWebhookUrlIsNotHttpWithoutEchoingIt() {
		this.runner.withPropertyValues("resilient-cache.fleet.webhook.url=ftp://user:s3cret@host/hook?token=t0ken").run((context) -> {
			assertFailure(context.getStartupFailure(), "resilient-cache.fleet.webhook.url", "http:// or https://");
			assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("s3cret").doesNotContain("t0ken");
		});
	}

	private static void assertFailure(Throwable failure, String property, String message) {
		assertThat(failure).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining(property)
			.hasMessageContaining(message);
	}

	private static List<?> keys(String region, String pattern) {
		return (List<?>) regions.get(region).command("KEYS", pattern);
	}

	private static boolean exists(String region, String key) {
		return ((Long) regions.get(region).command("EXISTS", key)) == 1L;
	}

	private static List<String> fleetThreads() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter((name) -> name.startsWith("resilient-cache-fleet"))
			.toList();
	}

}
