package io.github.resilientcache.region;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.github.resilientcache.region.RegionStore.WriteOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many reads and writes of one region in flight at once, as a busy service sends them: most of
 * them find the wire busy and leave in batches ({@link Pipeline}). Each must still be answered
 * with its own key's entry and follow the version rule as if it had been sent alone.
 */
final class ConcurrentEntryCalls {

	private ConcurrentEntryCalls() {
	}

	static void everyCallGetsItsOwnAnswer(RegionStore store, List<String> keys, long stamp) {
		List<CompletionStage<WriteOutcome>> firsts = new ArrayList<>();
		for (String key : keys) {
			StoredEntry entry = entry(stamp, key);
			firsts.add(store.writeFirst(key, RegionStore.encode(entry.kind(), entry.payload(), 60_000), entry.version()));
		}
		assertThat(firsts).allSatisfy((write) -> assertThat(join(write).applied()).isTrue());
		assertEveryKeyHolds(store, keys, stamp);

		List<CompletionStage<WriteOutcome>> older = new ArrayList<>();
		List<CompletionStage<WriteOutcome>> newer = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			String key = keys.get(i);
			// Interleaved: older and newer copies of different keys share batches.
			if (i % 2 == 0) {
				older.add(store.write(key, entry(stamp - 1, key), 60_000));
			}
			else {
				newer.add(store.write(key, entry(stamp + 1, key), 60_000));
			}
		}
		assertThat(older).as("an older copy never replaces a newer entry, batched or not")
			.allSatisfy((write) -> assertThat(join(write).applied()).isFalse());
		// Holds the newer version: applied, or found already written when a batch was sent again after NOSCRIPT.
		assertThat(newer).allSatisfy((write) -> assertThat(join(write).version().stamp()).isEqualTo(stamp + 1));
		List<CompletionStage<byte[]>> reads = keys.stream().map(store::get).toList();
		for (int i = 0; i < keys.size(); i++) {
			assertThat(join(reads.get(i))).as(keys.get(i)).isEqualTo(entry((i % 2 == 0) ? stamp : stamp + 1, keys.get(i)).toBytes());
		}
	}

	static void assertEveryKeyHolds(RegionStore store, List<String> keys, long stamp) {
		List<CompletionStage<byte[]>> reads = keys.stream().map(store::get).toList();
		for (int i = 0; i < keys.size(); i++) {
			assertThat(join(reads.get(i))).as(keys.get(i)).isEqualTo(entry(stamp, keys.get(i)).toBytes());
		}
		List<CompletionStage<byte[]>> absent = keys.stream().map((key) -> store.get(key + ":absent")).toList();
		assertThat(absent).allSatisfy((read) -> assertThat(join(read)).isNull());
	}

	static StoredEntry entry(long stamp, String key) {
		return StoredEntry.value(new Version(stamp, "east"), ("value of " + key + " at " + stamp).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * How many times the server ran a command, from {@code INFO commandstats}.
	 * @param info the section's text
	 * @param command the command, lower case
	 * @return its count, 0 if never run
	 */
	static long calls(String info, String command) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":calls=")) {
				return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
			}
		}
		return 0;
	}

	private static <T> T join(CompletionStage<T> stage) {
		return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
	}

}
