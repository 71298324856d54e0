package io.github.resilientcache.cache;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.cache.interceptor.SimpleKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CacheKeysTests {

	private final CacheKeys keys = new CacheKeys("rc", "accounts");

	@Test
	void keysAreNamespacedByPrefixAndCache() {
		assertThat(this.keys.redisKey("42")).isEqualTo("rc:accounts::42");
		assertThat(this.keys.redisKey(42L)).isEqualTo("rc:accounts::42");
		UUID id = UUID.randomUUID();
		assertThat(this.keys.redisKey(id)).isEqualTo("rc:accounts::" + id);
		assertThat(this.keys.redisKey(new SimpleKey("a", 1))).isEqualTo("rc:accounts::SimpleKey [a, 1]");
		assertThat(this.keys.pattern()).isEqualTo("rc:accounts::*");
	}

	@Test
	void specialCharactersInKeysAreKeptAsIs() {
		String nasty = "a*b?[c]\r\n{tag}::x";
		assertThat(this.keys.redisKey(nasty)).isEqualTo("rc:accounts::" + nasty);
		assertThat(this.keys.keyText(this.keys.redisKey(nasty))).isEqualTo(nasty);
		assertThat(this.keys.redisKey("")).isEqualTo("rc:accounts::");
	}

	@Test
	void nullKeyIsRejectedWithTheFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.redisKey(null)).withMessageContaining("must not be null");
	}

	@Test
	void keyWithoutStableTextIsRejectedWithTheFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.redisKey(new Object()))
			.withMessageContaining("override toString()");
	}

	@Test
	void cacheNamesThatCouldMatchOtherCachesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CacheKeys("rc", "acc*")).withMessageContaining("'*'");
		assertThatIllegalArgumentException().isThrownBy(() -> new CacheKeys("rc", "a::b")).withMessageContaining("':'");
		assertThatIllegalArgumentException().isThrownBy(() -> new CacheKeys("rc", "{slot}")).withMessageContaining("'{'");
		assertThatIllegalArgumentException().isThrownBy(() -> new CacheKeys("rc", " ")).withMessageContaining("must not be empty");
	}

}
