package io.github.resilientcache.actuate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Addresses are taken out of the messages health, the endpoint and the stream show.
 */
class RedactionTests {

	@Test
	void removesAddressesFromRedisClientMessages() {
		assertThat(Redaction.redact("RedisConnectionException: Unable to connect to Redis server: localhost/127.0.0.1:6379"))
			.isEqualTo("RedisConnectionException: Unable to connect to Redis server: <address>");
		assertThat(Redaction.redact("RedisTimeoutException: Command execution timeout for command: (GET), params: [rc:a::1], Redis client: "
				+ "[addr=redis://app:s3cret@redis-east.internal:6379]"))
			.doesNotContain("s3cret").doesNotContain("redis-east").contains("<address>");
		assertThat(Redaction.redact("no answer from [fe80::1%eth0]:6379")).isEqualTo("no answer from <address>");
	}

	@Test
	void leavesOtherMessagesAlone() {
		assertThat(Redaction.redact("circuit breaker opened (failure rate 50%, slow-call rate 0%)"))
			.isEqualTo("circuit breaker opened (failure rate 50%, slow-call rate 0%)");
		assertThat(Redaction.redact("reconciled: 2 keys replayed (2 copied, 0 deleted, 0 failed) in 1.5 ms"))
			.isEqualTo("reconciled: 2 keys replayed (2 copied, 0 deleted, 0 failed) in 1.5 ms");
	}

}
