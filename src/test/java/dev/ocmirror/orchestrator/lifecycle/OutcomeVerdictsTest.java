package dev.ocmirror.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorLog;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome;
import dev.ocmirror.orchestrator.ocmirror.Workflow;
import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.DetachedRuns;
import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.remote.OutputListener;
import dev.ocmirror.orchestrator.remote.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a judged run continues the process: the cache registry's start-up race is tried once more, then decided. */
class OutcomeVerdictsTest {

  @TempDir
  Path dir;

  @Test
  void theStartUpRaceIsRetriedOnceAndThenBecomesADecision() {
    OcMirrorLog log = new OcMirrorLog();
    """
        2025/06/02 09:00:00  [INFO]   : 🚀 Start copying the images...
        2025/06/02 09:00:00  [ERROR]  : [Worker] error mirroring image docker://127.0.0.1:5000/demo/alpha:v1 error: dial tcp 127.0.0.1:23456: connect: connection refused
        2025/06/02 09:00:02  [INFO]   : Images mirrored 1 / 2: Some additional images failed to mirror ❌ - please check the logs
        2025/06/02 09:00:03  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
        """.lines().forEach(log::accept);
    OcMirrorOutcome outcome = OcMirrorOutcome.judge(Workflow.MIRROR_TO_DISK, false, new RunStatus(RunStatus.State.EXITED, 0),
        log, "4.16.0", List.of("mirror_000001.tar"), List.of(), Duration.ofSeconds(3));
    DetachedRun run = new DetachedRuns(new LocalHost(), dir.toString()).start("run-1", Command.of("echo", "the log"));
    run.follow(OutputListener.IGNORE, Duration.ofMillis(50), Duration.ofSeconds(10));

    RunVerdict first = OutcomeVerdicts.of(outcome, run, purpose(1), DecisionNeeded.Reason.MIRROR_FAILED, RunVerdict.Results.none());
    assertThat(first.kind()).isEqualTo(RunVerdict.Kind.TECHNICAL_FAULT);
    assertThat(first.retryAfter()).isLessThan(Duration.ofMinutes(1));
    assertThat(first.message()).contains("tried once more");
    assertThat(first.details()).contains("connection refused").contains("the log");

    RunVerdict second = OutcomeVerdicts.of(outcome, run, purpose(2), DecisionNeeded.Reason.MIRROR_FAILED,
        RunVerdict.Results.none());
    assertThat(second.kind()).isEqualTo(RunVerdict.Kind.DECISION_NEEDED);
    assertThat(second.reason()).isEqualTo(DecisionNeeded.Reason.MIRROR_FAILED);
  }

  @Test
  void aFullDiskIsADecisionAtOnceNotRetriesThatCannotHelp() {
    OcMirrorLog log = new OcMirrorLog();
    """
        2025/06/02 09:00:00  [INFO]   : 🚀 Start copying the images...
        2025/06/02 09:00:01  [INFO]   : 📦 Preparing the tarball archive...
        2025/06/02 09:00:02  [ERROR]  : [Executor] write /data/ws/mirror_000001.tar: no space left on device
        """.lines().forEach(log::accept);
    OcMirrorOutcome outcome = OcMirrorOutcome.judge(Workflow.MIRROR_TO_DISK, false, new RunStatus(RunStatus.State.EXITED, 1),
        log, "4.18.0", List.of("mirror_000001.tar"), List.of(), Duration.ofSeconds(3));
    assertThat(outcome.verdict()).isEqualTo(OcMirrorOutcome.Verdict.FAILED);
    DetachedRun run = new DetachedRuns(new LocalHost(), dir.toString()).start("run-2", Command.of("echo", "the log"));
    run.follow(OutputListener.IGNORE, Duration.ofMillis(50), Duration.ofSeconds(10));

    RunVerdict verdict = OutcomeVerdicts.of(outcome, run, purpose(1), DecisionNeeded.Reason.MIRROR_FAILED,
        RunVerdict.Results.none());
    assertThat(verdict.kind()).isEqualTo(RunVerdict.Kind.DECISION_NEEDED);
    assertThat(verdict.reason()).isEqualTo(DecisionNeeded.Reason.MIRROR_FAILED);
    assertThat(verdict.message()).contains("make space on it, then try again");
    assertThat(verdict.details()).contains("no space left on device");
  }

  private static OcMirrorStep.Purpose purpose(int attempt) {
    return new OcMirrorStep.Purpose("p-1", null, "lineage", 2, "kind: ImageSetConfiguration", null, null, attempt);
  }
}
