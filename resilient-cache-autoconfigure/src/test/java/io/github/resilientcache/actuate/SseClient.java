package io.github.resilientcache.actuate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a Server-Sent Events stream on a daemon thread and keeps every event it received, in order.
 */
final class SseClient implements AutoCloseable {

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final HttpResponse<Stream<String>> response;

	private final CompletableFuture<Void> reading;

	private SseClient(HttpResponse<Stream<String>> response) {
		this.response = response;
		this.reading = CompletableFuture.runAsync(this::read, (task) -> {
			Thread thread = new Thread(task, "sse-client");
			thread.setDaemon(true);
			thread.start();
		});
	}

	static SseClient connect(Http http, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).header("Accept", "text/event-stream").GET().build();
		return new SseClient(http.client().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS));
	}

	private void read() {
		String[] name = { null };
		StringBuilder data = new StringBuilder();
		try (Stream<String> lines = this.response.body()) {
			lines.forEach((line) -> {
				if (line.isEmpty()) {
					if (name[0] != null || data.length() > 0) {
						this.events.add(new Event((name[0] != null) ? name[0] : "message", data.toString()));
					}
					name[0] = null;
					data.setLength(0);
				}
				else if (line.startsWith("event:")) {
					name[0] = line.substring(6).trim();
				}
				else if (line.startsWith("data:")) {
					data.append((data.length() > 0) ? "\n" : "").append(line.substring(5));
				}
			});
		}
		catch (RuntimeException ex) {
			// Closed by the test or by the server.
		}
	}

	int status() {
		return this.response.statusCode();
	}

	List<Event> events() {
		return List.copyOf(this.events);
	}

	List<Event> events(String name) {
		return this.events.stream().filter((event) -> event.name().equals(name)).toList();
	}

	/**
	 * Whether the server ended the stream.
	 * @return whether reading finished
	 */
	boolean ended() {
		return this.reading.isDone();
	}

	@Override
	public void close() {
		this.response.body().close();
	}

	/**
	 * One event.
	 * @param name its name
	 * @param data its data
	 */
	record Event(String name, String data) {

		<T> T json(String path) {
			return com.jayway.jsonpath.JsonPath.read(this.data, path);
		}

	}

}
