package dev.ocmirror.orchestrator.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class RunProgressTest {

  static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

  static RunProgress run(String id, String state, Integer total, int done, Instant updated, String log) {
    return new RunProgress(id, "L-1", "P-1", "oc-mirror-to-disk", "mirror-host", null, START, updated, state, total, done, 0,
        "quay.io/demo/app:v" + done, log);
  }

  @Test
  void aRunningMirrorTellsItsRateAndTheTimeLeftAtThatRate() {
    RunProgress running = run("r", "RUNNING", 40, 10, START.plusSeconds(300), "");
    Instant now = START.plusSeconds(300);
    assertThat(running.elapsed(now)).isEqualTo(Duration.ofMinutes(5));
    assertThat(running.imagesPerMinute(now)).contains(2.0);
    assertThat(running.estimatedRemaining(now)).contains(Duration.ofMinutes(15));
  }

  @Test
  void nothingIsEstimatedBeforeTheFirstImageOrTheTotalOrAfterTheEnd() {
    Instant now = START.plusSeconds(60);
    assertThat(run("r", "RUNNING", 40, 0, now, "").estimatedRemaining(now)).isEmpty();
    assertThat(run("r", "RUNNING", null, 3, now, "").estimatedRemaining(now)).isEmpty();
    RunProgress ended = run("r", "EXITED", 40, 40, START.plusSeconds(600), "");
    assertThat(ended.estimatedRemaining(START.plusSeconds(900))).isEmpty();
    assertThat(ended.elapsed(START.plusSeconds(900))).as("up to its last look").isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theLogTailKeepsItsLastLinesWithinItsLimit() {
    String log = "x".repeat(RunProgress.MAX_LOG_TAIL) + "\nline 1\n\nline 2\nline 3\n";
    RunProgress progress = run("r", "RUNNING", 3, 1, START, log);
    assertThat(progress.logTail()).hasSize(RunProgress.MAX_LOG_TAIL).endsWith("line 3\n");
    assertThat(progress.lastLines(2)).containsExactly("line 2", "line 3");
  }

  @Test
  void anyNodeReadsWhatTheWorkerLastSawOfEachRun() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:progress-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
    RunProgressRecords records = new RunProgressRecords(h2);

    records.record(run("task-1-1", "RUNNING", 2, 0, START.plusSeconds(2), "starting"));
    records.record(run("task-1-1", "RUNNING", 2, 1, START.plusSeconds(4), "one done"));
    records.record(run("task-2-1", "EXITED", 1, 1, START.plusSeconds(5), "done"));

    assertThat(records.unfinished()).singleElement().satisfies(run -> {
      assertThat(run.runId()).isEqualTo("task-1-1");
      assertThat(run.imagesDone()).isEqualTo(1);
      assertThat(run.logTail()).isEqualTo("one done");
      assertThat(run.startedAt()).isEqualTo(START);
    });
    assertThat(records.ofLifecycle("L-1")).extracting(RunProgress::runId).containsExactly("task-1-1", "task-2-1");
    records.record(run("task-1-1", "EXITED", 2, 2, START.plusSeconds(6), "all done"));
    assertThat(records.unfinished()).isEmpty();
  }
}
