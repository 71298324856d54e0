package io.github.resilientcache.sample.embedded;

import io.github.resilientcache.fleet.RegionIncident;
import io.github.resilientcache.fleet.RegionRecoveryAction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Auto-heal for the demo: when the fleet sees a region failed, restarts (or continues) that
 * region's embedded Redis server, as a real action would ask the infrastructure to replace a node.
 * Only on the instance that runs the servers; a second instance reaches it through the webhook
 * ({@code POST /demo/regions/heal}, see {@code application-second.yml}). Idempotent: restoring a
 * running server does nothing. Opt-in ({@code sample.auto-heal.enabled=true}), so that a region
 * stopped or hung on purpose (the game day, the tests) stays so until restored by hand.
 */
@Component
@Profile("demo")
@ConditionalOnBooleanProperty({ EmbeddedRedisEnvironmentPostProcessor.ENABLED_PROPERTY, EmbeddedRedisRecoveryAction.ENABLED_PROPERTY })
public class EmbeddedRedisRecoveryAction implements RegionRecoveryAction {

	/** Whether the demo heals its regions by itself; off by default so that the game day's steps stay manual. */
	public static final String ENABLED_PROPERTY = "sample.auto-heal.enabled";

	private static final Log logger = LogFactory.getLog(EmbeddedRedisRecoveryAction.class);

	private final EmbeddedRedisRegions servers;

	public EmbeddedRedisRecoveryAction(EmbeddedRedisRegions servers) {
		this.servers = servers;
	}

	@Override
	public void regionFailed(RegionIncident incident) {
		heal(this.servers, incident.region(), incident.id());
	}

	@Override
	public void regionRecovered(RegionIncident incident) {
		logger.info("Incident " + incident.id() + ": region '" + incident.region() + "' serves again for " + incident.evidence().size() + " of "
				+ incident.reportingInstances() + " instances");
	}

	/**
	 * Brings a region's server back unless it is running.
	 * @param servers the embedded servers
	 * @param region the region
	 * @param incident the incident, for the log
	 * @return whether the server was restored
	 */
	public static boolean heal(EmbeddedRedisRegions servers, String region, String incident) {
		if (!servers.regions().contains(region) || servers.state(region) == ServerState.RUNNING) {
			return false;
		}
		logger.warn("Incident " + incident + ": auto-heal restores the embedded Redis of region '" + region + "'");
		servers.restore(region);
		return true;
	}

}
