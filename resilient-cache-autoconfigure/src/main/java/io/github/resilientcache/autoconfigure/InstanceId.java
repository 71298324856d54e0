package io.github.resilientcache.autoconfigure;

import java.net.InetAddress;
import java.util.UUID;

/**
 * Identity of this application instance in journal tokens, status keys and logs: host, process and
 * a random suffix, so that two instances on one host never share it.
 */
final class InstanceId {

	private InstanceId() {
	}

	/**
	 * A new identity: one per application context, so that two contexts in one JVM (tests) are
	 * two instances.
	 * @return the identity
	 */
	static String create() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown";
		}
		return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
