package io.github.resilientcache.actuate;

import java.util.function.ToDoubleFunction;

import io.github.resilientcache.fleet.FleetTelemetry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Binds the {@link FleetMeters} to a registry, reading the telemetry's counters.
 */
public final class FleetMetrics implements MeterBinder {

	private final FleetTelemetry telemetry;

	/**
	 * Creates the binder.
	 * @param telemetry the fleet telemetry
	 */
	public FleetMetrics(FleetTelemetry telemetry) {
		Assert.notNull(telemetry, "'telemetry' must not be null");
		this.telemetry = telemetry;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		counter(registry, FleetMeters.SNAPSHOTS_PUBLISHED, null, FleetTelemetry::publishedCount);
		counter(registry, FleetMeters.SNAPSHOTS_FAILED, null, FleetTelemetry::publishFailures);
		counter(registry, FleetMeters.SNAPSHOTS_REJECTED, null, FleetTelemetry::rejectedCount);
		counter(registry, FleetMeters.INCIDENTS_OPENED, null, FleetTelemetry::incidentsOpened);
		counter(registry, FleetMeters.INCIDENTS_CLOSED, null, FleetTelemetry::incidentsClosed);
		counter(registry, FleetMeters.ACTIONS, "invoked", FleetTelemetry::actionsInvoked);
		counter(registry, FleetMeters.ACTIONS, "failed", FleetTelemetry::actionsFailed);
		counter(registry, FleetMeters.ACTIONS, "rate-limited", FleetTelemetry::actionsRateLimited);
		Gauge.builder(FleetMeters.INSTANCES.getName(), this.telemetry, FleetTelemetry::freshInstances)
			.description(FleetMeters.INSTANCES.getDescription()).register(registry);
	}

	private void counter(MeterRegistry registry, FleetMeters meter, @Nullable String result, ToDoubleFunction<FleetTelemetry> count) {
		FunctionCounter.Builder<FleetTelemetry> builder = FunctionCounter.builder(meter.getName(), this.telemetry, count)
			.description(meter.getDescription());
		if (result != null) {
			builder.tag(FleetMeters.Tag.RESULT.asString(), result);
		}
		builder.register(registry);
	}

}
