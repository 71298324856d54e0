package io.github.resilientcache.autoconfigure;

import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties.InstanceProperties;
import io.github.resilientcache.actuate.RegionDescriptors;
import io.github.resilientcache.actuate.RegionEventStream;
import io.github.resilientcache.actuate.ResilientCacheEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's native-image hints, as Spring's AOT processing loads them.
 */
class ResilientCacheRuntimeHintsTests {

	@Test
	void registrarIsFoundByAotProcessing() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories").load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(ResilientCacheRuntimeHints.class);
	}

	@Test
	void payloadsWrittenAsJsonCanBeReflected() {
		RuntimeHints hints = new RuntimeHints();
		new ResilientCacheRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(ResilientCacheEndpoint.ResilientCacheDescriptor.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(RegionDescriptors.RegionDescriptor.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(RegionEventStream.RegionStateEvent.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RegionDescriptors.RegionDescriptor.class, "state")).accepts(hints);
	}

	@Test
	void settingsReadThroughTheirBeanPropertiesCanBeReflected() {
		RuntimeHints hints = new RuntimeHints();
		new ResilientCacheRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(ResilientCacheProperties.Region.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(InstanceProperties.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
	}

}
