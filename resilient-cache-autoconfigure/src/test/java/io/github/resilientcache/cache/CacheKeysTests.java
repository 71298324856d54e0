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
		assertThat(this.keys.redisKey(new SimpleKey("a", 1))).isEqualTo("rc:accounts::~[1:a,1:1]");
		assertThat(this.keys.pattern()).isEqualTo("rc:accounts::*");
	}

	@Test
	void specialCharactersInKeysAreKeptAsIs() {
		String nasty = "a*b?[c]\r\n{tag}::x~";
		assertThat(this.keys.redisKey(nasty)).isEqualTo("rc:accounts::" + nasty);
		assertThat(this.keys.keyText(this.keys.redisKey(nasty))).isEqualTo(nasty);
		assertThat(this.keys.redisKey("")).isEqualTo("rc:accounts::");
	}

	@Test
	void simpleKeysWhoseTextsLookAlikeNeverShareARedisKey() {
		assertThat(this.keys.redisKey(new SimpleKey("a, b", "c"))).isNotEqualTo(this.keys.redisKey(new SimpleKey("a", "b, c")));
		assertThat(this.keys.redisKey(new SimpleKey("a, b", "c"))).isEqualTo("rc:accounts::~[4:a, b,1:c]");
		assertThat(this.keys.redisKey(new SimpleKey("a]", "b"))).isNotEqualTo(this.keys.redisKey(new SimpleKey("a", "]b")));
		assertThat(this.keys.redisKey(new SimpleKey(null, "x"))).isNotEqualTo(this.keys.redisKey(new SimpleKey("null", "x")))
			.isNotEqualTo(this.keys.redisKey(new SimpleKey("~null", "x")));
		assertThat(this.keys.redisKey(new SimpleKey(new SimpleKey("a", "b"), "c")))
			.isNotEqualTo(this.keys.redisKey(new SimpleKey("a", new SimpleKey("b", "c"))));
		assertThat(this.keys.redisKey(SimpleKey.EMPTY)).isEqualTo("rc:accounts::~[]");
	}

	@Test
	void aStringKeyCannotForgeAStructuredKey() {
		String forged = "~[4:a, b,1:c]";
		assertThat(this.keys.redisKey(forged)).isEqualTo("rc:accounts::~" + forged)
			.isNotEqualTo(this.keys.redisKey(new SimpleKey("a, b", "c")));
		assertThat(this.keys.redisKey("~null")).isEqualTo("rc:accounts::~~null");
	}

	@Test
	void compositeKeysAreEncodedPartByPart() {
		assertThat(this.keys.redisKey(new Pair("a, b", "c"))).isEqualTo("rc:accounts::~r:Pair[4:a, b,1:c]")
			.isNotEqualTo(this.keys.redisKey(new Pair("a", "b, c")));
		assertThat(this.keys.redisKey(java.util.List.of("a,", "b"))).isNotEqualTo(this.keys.redisKey(java.util.List.of("a", ",b")));
		assertThat(this.keys.redisKey(new SimpleKey(new int[] { 1, 2 }))).isEqualTo("rc:accounts::~[11:~a[1:1,1:2]]");
	}

	@Test
	void keysLongerThanTheBoundAreHashed() {
		String longKey = "k".repeat(KeyText.MAX_LENGTH + 1);
		String redisKey = this.keys.redisKey(longKey);
		assertThat(redisKey).startsWith("rc:accounts::~sha256:").hasSize("rc:accounts::~sha256:".length() + 64);
		assertThat(this.keys.redisKey(longKey + "x")).isNotEqualTo(redisKey);
		assertThat(this.keys.redisKey("k".repeat(KeyText.MAX_LENGTH))).isEqualTo("rc:accounts::" + "k".repeat(KeyText.MAX_LENGTH));
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

	record Pair(String left, String right) {
	}

}
