package io.github.resilientcache.actuate;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Serves the {@link RegionEventStream} at {@code resilient-cache.stream.path}. A client past the
 * subscriber bound, in total or for its address, gets HTTP 503 with one {@code error} event saying
 * why. Behind a proxy, let the application see client addresses ({@code server.forward-headers-strategy}),
 * or every client shares the proxy's slots.
 */
@Controller
public final class RegionEventStreamController {

	private final RegionEventStream stream;

	/**
	 * Creates the controller.
	 * @param stream the stream
	 */
	public RegionEventStreamController(RegionEventStream stream) {
		Assert.notNull(stream, "'stream' must not be null");
		this.stream = stream;
	}

	@GetMapping(path = "${resilient-cache.stream.path:/resilient-cache/stream}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public ResponseEntity<SseEmitter> stream(HttpServletRequest request) {
		SseEmitter emitter = this.stream.subscribe(request.getRemoteAddr());
		if (emitter != null) {
			return ResponseEntity.ok(emitter);
		}
		SseEmitter rejected = new SseEmitter();
		try {
			rejected.send(SseEmitter.event().name("error").data("Too many clients of the region event stream (resilient-cache.stream.max-subscribers="
					+ this.stream.maxSubscribers() + ", resilient-cache.stream.max-subscribers-per-client=" + this.stream.maxSubscribersPerClient()
					+ " per client address), or the application is stopping: try again later", MediaType.TEXT_PLAIN));
		}
		catch (IOException ex) {
			// Not sent yet: buffered until the response starts, so this never happens.
		}
		rejected.complete();
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(rejected);
	}

}
