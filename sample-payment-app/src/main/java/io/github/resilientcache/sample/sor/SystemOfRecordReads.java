package io.github.resilientcache.sample.sor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts reads of the database behind each cache ({@code sample.sor.reads}, tag {@code entity}), so
 * that {@code /actuator/metrics} shows how much of the read traffic the cache takes off the
 * database, and tests can tell when the cache answered.
 */
@Component
public class SystemOfRecordReads {

	private final MeterRegistry registry;

	public SystemOfRecordReads(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Counts one read.
	 * @param entity what was read: {@code account}, {@code balance}, {@code merchant}, {@code fx-rate}
	 */
	public void record(String entity) {
		counter(entity).increment();
	}

	/**
	 * Reads so far.
	 * @param entity what was read
	 * @return the count
	 */
	public long count(String entity) {
		return (long) counter(entity).count();
	}

	private Counter counter(String entity) {
		return Counter.builder("sample.sor.reads")
			.description("Reads of the system of record behind a cache, that is cache misses")
			.tag("entity", entity)
			.register(this.registry);
	}

}
