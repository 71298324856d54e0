package io.github.resilientcache.region;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;
import org.redisson.connection.ConnectionListener;

/**
 * Turns Redisson's connection events into hints: a lost connection holds reads of the region and
 * asks the prober to confirm it at once (reachable, same run ids); only a failed probe takes it out. A healthy server
 * that closes idle connections, a NAT or load balancer reset, or a {@code CLIENT KILL} therefore
 * never fails a region over, while a stopped or restarted server is found within one probe. Chains
 * to a listener the application configured.
 */
public final class RegionConnectionListener implements ConnectionListener {

	private final @Nullable ConnectionListener delegate;

	private volatile @Nullable Region region;

	public RegionConnectionListener(@Nullable ConnectionListener delegate) {
		this.delegate = delegate;
	}

	/**
	 * Binds the listener to its region once the region exists (the client is created first).
	 * @param region the region
	 */
	public void bind(Region region) {
		this.region = region;
	}

	@Override
	public void onConnect(InetSocketAddress address) {
		if (this.delegate != null) {
			this.delegate.onConnect(address);
		}
	}

	@Override
	public void onDisconnect(InetSocketAddress address) {
		Region current = this.region;
		if (current != null) {
			current.suspect("lost a connection to " + address.getHostString() + ":" + address.getPort());
		}
		if (this.delegate != null) {
			this.delegate.onDisconnect(address);
		}
	}

}
