package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.FailbackProber;
import io.github.resilientcache.recovery.JournalReplayer;
import io.github.resilientcache.recovery.ReconciliationCompletedEvent;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.recovery.RegionReplayedEvent;
import io.github.resilientcache.recovery.RegionStatusBroadcaster;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.HybridLogicalClock;
import io.github.resilientcache.replication.ReplayJournal;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of failback and repair: the prober that brings failed regions back through
 * journal replay, the broadcaster that makes instances agree on region states, and the periodic
 * anti-entropy reconciliation.
 */
@AutoConfiguration(after = ResilientCacheAutoConfiguration.class)
@ConditionalOnBean(Regions.class)
public final class ResilientCacheRecoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JournalReplayer resilientCacheJournalReplayer(Regions regions, ReplayJournal journal, HybridLogicalClock clock,
			ResilientCacheProperties properties) {
		return new JournalReplayer(regions, journal, clock, properties.getReconciliation().getBatchSize(),
				properties.getReconciliation().getResyncMaxKeysPerSecond());
	}

	@Bean
	@ConditionalOnMissingBean
	RegionRecovery resilientCacheRegionRecovery(Regions regions, JournalReplayer replayer,
			ApplicationEventPublisher events) {
		return new RegionRecovery(regions, replayer, (result) -> events.publishEvent(new RegionReplayedEvent(regions, result)));
	}

	@Bean
	@ConditionalOnMissingBean
	FailbackProber resilientCacheFailbackProber(Regions regions, RegionRecovery recovery, ReplayJournal journal,
			ResilientCacheProperties properties) {
		ResilientCacheProperties.Probe probe = properties.getProbe();
		return new FailbackProber(regions, recovery, journal,
				new FailbackProber.ProbeSettings(probe.getInterval(), probe.getJitter(), probe.getSuccessesToRecover(), probe.getTimeout()),
				journal.instanceId());
	}

	@Bean
	@ConditionalOnMissingBean
	RegionStatusBroadcaster resilientCacheStatusBroadcaster(Regions regions, FailbackProber prober, ReplayJournal journal,
			ResilientCacheProperties properties) {
		RegionStatusBroadcaster broadcaster = new RegionStatusBroadcaster(regions, prober, journal.instanceId(),
				properties.getOperationTimeout(), properties.getCoordination().getSecret());
		regions.all().forEach((region) -> region.addStateListener(broadcaster));
		return broadcaster;
	}

	@Bean
	@ConditionalOnMissingBean
	AntiEntropyReconciler resilientCacheAntiEntropyReconciler(Regions regions, HybridLogicalClock clock, ResilientCacheProperties properties,
			ApplicationEventPublisher events) {
		ResilientCacheProperties.Reconciliation reconciliation = properties.getReconciliation();
		return new AntiEntropyReconciler(regions, clock,
				new AntiEntropyReconciler.Settings(reconciliation.isEnabled(), reconciliation.getInterval(), reconciliation.getBatchSize(),
						reconciliation.getMaxKeysPerSecond(), properties.getTombstoneTtl()),
				(result) -> events.publishEvent(new ReconciliationCompletedEvent(regions, result)));
	}

}
