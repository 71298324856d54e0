package io.github.resilientcache.autoconfigure;

import io.github.resilientcache.actuate.RegionDescriptors;
import io.github.resilientcache.recovery.AntiEntropyReconciler;
import io.github.resilientcache.recovery.FailbackProber;
import io.github.resilientcache.recovery.RegionRecovery;
import io.github.resilientcache.region.Regions;
import io.github.resilientcache.replication.ReplayJournal;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Creates the {@link RegionDescriptors} shared in shape by health, the endpoint and the stream;
 * the recovery beans are optional, so that the observing side still works if an application
 * excludes recovery.
 */
final class RegionDescriptorsFactory {

	private RegionDescriptorsFactory() {
	}

	static RegionDescriptors create(Regions regions, ReplayJournal journal, ObjectProvider<FailbackProber> prober,
			ObjectProvider<RegionRecovery> recovery, ObjectProvider<AntiEntropyReconciler> reconciler) {
		return new RegionDescriptors(regions, journal, prober.getIfAvailable(), recovery.getIfAvailable(), reconciler.getIfAvailable());
	}

}
