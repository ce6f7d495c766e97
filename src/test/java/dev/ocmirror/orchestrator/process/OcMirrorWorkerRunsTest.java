package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorSettings;
import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.DetachedRuns;
import dev.ocmirror.orchestrator.remote.LocalHost;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which run an attempt of an oc-mirror task follows: never a second one beside an earlier attempt's that goes on or
 * that ended without anyone taking its outcome.
 */
class OcMirrorWorkerRunsTest {

  @TempDir
  Path dir;

  @Test
  void aRetryFollowsTheEarlierAttemptsRunWhileItGoesOnOrWaitsToBeJudgedAndStartsItsOwnOnlyOnceItsOutcomeWasTaken()
      throws Exception {
    LocalHost host = new LocalHost();
    String runs = dir.resolve("runs").toString();
    OcMirrorClient client = new OcMirrorClient(host, OcMirrorSettings.of("/usr/bin/oc-mirror", runs));
    assertThat(OcMirrorWorker.runToFollow(client, "t1", 1)).isEqualTo("task-t1-1");
    assertThat(OcMirrorWorker.runToFollow(client, "t1", 2)).as("no earlier run").isEqualTo("task-t1-2");

    // The first attempt's node lost sight of its run (a cut connection counted as a failure): the run goes on.
    DetachedRun first = new DetachedRuns(host, runs).start("task-t1-1", Command.of("sleep", "2"));
    assertThat(OcMirrorWorker.runToFollow(client, "t1", 3)).as("the earlier run, still going on").isEqualTo("task-t1-1");

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.status().finished());
    assertThat(first.hasExited()).isTrue();
    assertThat(OcMirrorWorker.runToFollow(client, "t1", 3)).as("the earlier run, ended unseen: judged, not run again")
        .isEqualTo("task-t1-1");
    first.markOutcomeTaken();
    assertThat(OcMirrorWorker.runToFollow(client, "t1", 3)).as("its own, once the earlier's outcome was taken")
        .isEqualTo("task-t1-3");

    // A run that vanished without an exit status (its host rebooted under it) has nothing to judge.
    DetachedRun vanished = new DetachedRuns(host, runs).start("task-t2-1", Command.of("sleep", "30"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.exists(dir.resolve("runs/task-t2-1/pid")));
    // The whole process group, launcher included, as when the machine goes down.
    new ProcessBuilder("kill", "-KILL", "--", "-" + readPid(dir.resolve("runs/task-t2-1/pid"))).start().waitFor();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> vanished.status().finished());
    assertThat(vanished.hasExited()).as("killed with its launcher: no exit status").isFalse();
    assertThat(vanished.status().state()).isEqualTo(dev.ocmirror.orchestrator.remote.RunStatus.State.LOST);
    assertThat(OcMirrorWorker.runToFollow(client, "t2", 2)).as("its own, beside a vanished run").isEqualTo("task-t2-2");
  }

  private static String readPid(Path file) {
    try {
      return java.nio.file.Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
