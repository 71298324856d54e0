package io.github.resilientcache.sample.demo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A load run's clock: it runs while the run is active and stops when it ends, so that a finished
 * run's figures (its average rate above all) stay what they were at the end.
 */
class LoadRunTests {

	@Test
	void finishedRunsFiguresAreFrozen() {
		LoadRun run = new LoadRun(1, 100, 30);
		run.nextSequence();
		run.approved(1_000_000);
		run.state("DRAINING");
		run.state("FINISHED");
		LoadFigures atTheEnd = run.figures();
		long end = System.nanoTime();
		await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - end > Duration.ofMillis(200).toNanos());
		LoadFigures later = run.figures();
		assertThat(later.elapsedSeconds()).isEqualTo(atTheEnd.elapsedSeconds());
		assertThat(later.averagePaymentsPerSecond()).isEqualTo(atTheEnd.averagePaymentsPerSecond());
	}

	@Test
	void stoppedRunsClockStopsToo() {
		LoadRun run = new LoadRun(1, 100, 30);
		run.state("STOPPED");
		long elapsed = run.elapsedNanos();
		long stopped = System.nanoTime();
		await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - stopped > Duration.ofMillis(50).toNanos());
		assertThat(run.elapsedNanos()).isEqualTo(elapsed);
	}

	@Test
	void activeRunsClockRuns() {
		LoadRun run = new LoadRun(1, 100, 30);
		long elapsed = run.elapsedNanos();
		await().atMost(Duration.ofSeconds(5)).until(() -> run.elapsedNanos() > elapsed);
		assertThat(run.isActive()).isTrue();
	}

}
