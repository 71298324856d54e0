package io.github.resilientcache.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trials in which the starter failed over or journaled writes, reported by JMH's forked JVMs
 * through a file the run names in a system property, one tab-separated line per trial.
 */
final class Incidents {

	static final String FILE = "benchmark.incidents";

	private Incidents() {
	}

	static synchronized void record(String contender, String method, int threads, String what) {
		String file = System.getProperty(FILE);
		String line = contender + "\t" + method + "\t" + threads + "\t" + what + "\n";
		System.out.print("[benchmark] incident: " + line);
		if (file == null) {
			return;
		}
		try {
			Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The incidents recorded in a file.
	 * @param file the file
	 * @return what happened, by {@code contender/method/threads}
	 */
	static Map<String, String> read(Path file) throws IOException {
		Map<String, String> incidents = new HashMap<>();
		if (Files.exists(file)) {
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			for (String line : lines) {
				String[] parts = line.split("\t", 4);
				if (parts.length == 4) {
					incidents.put(key(parts[0], parts[1], Integer.parseInt(parts[2])), parts[3]);
				}
			}
		}
		return incidents;
	}

	static String key(String contender, String method, int threads) {
		return contender + "/" + method + "/" + threads;
	}

}
