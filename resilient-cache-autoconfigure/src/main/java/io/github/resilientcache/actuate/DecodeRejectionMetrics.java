package io.github.resilientcache.actuate;

import io.github.resilientcache.cache.DecodeRejections;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * Binds {@link ResilientCacheMeters#CODEC_REJECTED}: one function counter per refusal reason, so
 * that a burst of forged or oversized entries shows up even though each read is only a miss.
 */
public final class DecodeRejectionMetrics implements MeterBinder {

	private final DecodeRejections rejections;

	/**
	 * Creates the binder.
	 * @param rejections the codec's counts
	 */
	public DecodeRejectionMetrics(DecodeRejections rejections) {
		Assert.notNull(rejections, "'rejections' must not be null");
		this.rejections = rejections;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (DecodeRejections.Reason reason : DecodeRejections.Reason.values()) {
			CacheMeters.counter(registry, ResilientCacheMeters.CODEC_REJECTED,
					Tags.of(ResilientCacheMeters.Tag.REASON.asString(), reason.tag()), this.rejections, (r) -> r.count(reason));
		}
	}

}
