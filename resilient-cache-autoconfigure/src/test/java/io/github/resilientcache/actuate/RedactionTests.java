package io.github.resilientcache.actuate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials are taken out of the messages health, the endpoint and the stream show; the server
 * that failed stays named.
 */
class RedactionTests {

	@Test
	void removesCredentialsAndKeepsTheServer() {
		assertThat(Redaction.redact("RedisTimeoutException: Command execution timeout for command: (GET), params: [rc:a::1], Redis client: "
				+ "[addr=redis://app:s3cret@redis-east.internal:6379]"))
			.doesNotContain("s3cret")
			.doesNotContain("app:")
			.endsWith("[addr=redis://redis-east.internal:6379]");
	}

	@Test
	void removesAPasswordHoldingSlashesAndAts() {
		assertThat(Redaction.redact("lost rediss://app:p/a@ss@redis-west:6380 now")).isEqualTo("lost rediss://redis-west:6380 now");
	}

	@Test
	void leavesAddressesWithoutCredentialsAndOtherMessagesAlone() {
		assertThat(Redaction.redact("RedisConnectionException: Unable to connect to Redis server: localhost/127.0.0.1:6379"))
			.isEqualTo("RedisConnectionException: Unable to connect to Redis server: localhost/127.0.0.1:6379");
		assertThat(Redaction.redact("circuit breaker opened (failure rate 50%, slow-call rate 0%)"))
			.isEqualTo("circuit breaker opened (failure rate 50%, slow-call rate 0%)");
		assertThat(Redaction.redact("no answer from [fe80::1%eth0]:6379")).isEqualTo("no answer from [fe80::1%eth0]:6379");
	}

}
