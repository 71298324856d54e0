package io.github.resilientcache.region;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;
import org.redisson.connection.ConnectionListener;

/**
 * Takes a region out the moment Redisson loses its connections to one of its servers: the server
 * may come back restarted from an older snapshot, so the region is read from again only after the
 * prober has checked it (same run ids, else a full resync) and its journal was replayed. Chains to
 * a listener the application configured.
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
		if (current != null && !current.isClosed()) {
			RegionState state = current.state();
			if (state == RegionState.UP || state == RegionState.RECOVERING) {
				current.transition(state, RegionState.OPEN, "lost its connections to " + address.getHostString() + ":" + address.getPort()
						+ "; kept out until probes show it did not restart");
			}
		}
		if (this.delegate != null) {
			this.delegate.onDisconnect(address);
		}
	}

}
