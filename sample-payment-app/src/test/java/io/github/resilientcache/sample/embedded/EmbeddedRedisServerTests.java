package io.github.resilientcache.sample.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The demo's faults act on the real redis-server process: a stopped server refuses connections, a
 * hung one accepts them and answers nothing, a restored one answers again on the same port.
 */
class EmbeddedRedisServerTests {

	private EmbeddedRedisRegions regions;

	private int port;

	@BeforeEach
	void start() {
		this.regions = EmbeddedRedisRegions.start(List.of("solo"), LogFactory.getLog(getClass()));
		this.port = URI.create((String) this.regions.cacheProperties("solo").get("resilient-cache.regions.solo.address")).getPort();
	}

	@AfterEach
	void close() {
		this.regions.close();
	}

	@Test
	void hangsAndContinues() {
		this.regions.hang("solo");
		assertThat(this.regions.state("solo")).isEqualTo(ServerState.HUNG);
		assertThat(ping()).isEqualTo("timeout");
		this.regions.restore("solo");
		assertThat(this.regions.state("solo")).isEqualTo(ServerState.RUNNING);
		assertThat(ping()).isEqualTo("+PONG");
	}

	@Test
	void stopsAndRestartsOnTheSamePort() {
		this.regions.stop("solo");
		assertThat(this.regions.state("solo")).isEqualTo(ServerState.STOPPED);
		assertThat(ping()).isEqualTo("refused");
		this.regions.restore("solo");
		assertThat(ping()).isEqualTo("+PONG");
	}

	@Test
	void stopsAHungServer() {
		this.regions.hang("solo");
		this.regions.stop("solo");
		assertThat(ping()).isEqualTo("refused");
	}

	@Test
	void refusesToHangAStoppedServer() {
		this.regions.stop("solo");
		assertThatIllegalStateException().isThrownBy(() -> this.regions.hang("solo")).withMessageContaining("STOPPED");
	}

	@Test
	void namesTheRegionsOnAnUnknownOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.regions.stop("north"))
			.withMessage("No embedded region named 'north'; regions are [solo]");
	}

	private String ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(300);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			return new String(in.readNBytes(5), StandardCharsets.US_ASCII);
		}
		catch (SocketTimeoutException ex) {
			return "timeout";
		}
		catch (IOException ex) {
			return "refused";
		}
	}

}
