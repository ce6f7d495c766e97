package dev.ocmirror.orchestrator.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.awaitility.Awaitility;
import dev.ocmirror.orchestrator.support.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachedRunsTest {

  private static final Duration POLL = Duration.ofMillis(100);

  @TempDir
  Path dir;

  @Test
  void aRunOutlivesItsStarterAndIsFollowedToTheEnd() {
    DetachedRuns runs = new DetachedRuns(new LocalHost(), dir.resolve("runs").toString());
    DetachedRun run = runs.start("m2d-1", Command.of("sh", "-c", "echo first; sleep 1; echo second; exit 3"));
    assertThat(run.startedNow()).isTrue();

    // A new service instance knows only the run id.
    DetachedRun reattached = new DetachedRuns(new LocalHost(), dir.resolve("runs").toString()).attach("m2d-1");
    List<String> lines = new CopyOnWriteArrayList<>();
    RunStatus status = reattached.follow((stream, line) -> lines.add(line), POLL, Duration.ofSeconds(30));

    assertThat(status).isEqualTo(new RunStatus(RunStatus.State.EXITED, 3));
    assertThat(lines).containsExactly("first", "second");
    assertThat(reattached.tail(1000)).isEqualTo("first\nsecond\n");
    assertThat(dir.resolve("runs/m2d-1/command")).content().isEqualTo("sh\n-c\necho first; sleep 1; echo second; exit 3\n");
  }

  @Test
  void startingTheSameRunIdTwiceStartsOneProcess() throws Exception {
    DetachedRuns runs = new DetachedRuns(new LocalHost(), dir.resolve("runs").toString());
    Path counter = dir.resolve("starts");
    Command command = Command.of("sh", "-c", "echo started >> \"$1\"; sleep 1", "sh", counter.toString());
    DetachedRun first = runs.start("same", command);
    DetachedRun second = runs.start("same", command);
    assertThat(first.startedNow()).isTrue();
    assertThat(second.startedNow()).isFalse();
    assertThat(second.follow(OutputListener.IGNORE, POLL, Duration.ofSeconds(30)).state()).isEqualTo(RunStatus.State.EXITED);
    assertThat(Files.readAllLines(counter)).containsExactly("started");
  }

  @Test
  void cancellingStopsTheWholeRun() throws Exception {
    DetachedRuns runs = new DetachedRuns(new LocalHost(), dir.resolve("runs").toString());
    DetachedRun run = runs.start("long", Command.of("sh", "-c", "sleep 60 & wait"));
    waitFor(run, RunStatus.State.RUNNING);
    run.cancel();
    assertThat(run.follow(OutputListener.IGNORE, POLL, Duration.ofSeconds(20)).state()).isEqualTo(RunStatus.State.CANCELLED);
  }

  @Test
  void aRunKilledFromOutsideIsReportedLost() throws Exception {
    DetachedRuns runs = new DetachedRuns(new LocalHost(), dir.resolve("runs").toString());
    DetachedRun run = runs.start("killed", Command.of("sleep", "60"));
    waitFor(run, RunStatus.State.RUNNING);
    String pid = Files.readString(dir.resolve("runs/killed/pid")).trim();
    new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
    assertThat(run.follow(OutputListener.IGNORE, POLL, Duration.ofSeconds(20)).state()).isEqualTo(RunStatus.State.LOST);
  }

  @Test
  void refusesRunIdsThatAreNotPlainNames() {
    DetachedRuns runs = new DetachedRuns(new LocalHost(), dir.resolve("runs").toString());
    for (String bad : new String[] {"../etc", "a/b", "", "-rf", "x y", "$(id)"}) {
      assertThatThrownBy(() -> runs.start(bad, Command.of("true"))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> runs.attach("never-started")).isInstanceOf(HostException.class).hasMessageContaining("never-started");
  }

  @Test
  void overSshARunSurvivesTheConnectionBeingCutAndIsReattached() throws Exception {
    try (TestSshd sshd = TestSshd.start(dir.resolve("sshd"))) {
      String runsRoot = dir.resolve("remote-runs").toString();
      DetachedRun run;
      try (SshHost host = new SshHost(sshd.target())) {
        run = new DetachedRuns(host, runsRoot).start("m2d-remote",
            Command.of("sh", "-c", "for i in 1 2 3 4 5 6; do echo \"image $i of 6\"; sleep 0.5; done; exit 0"));
        waitFor(run, RunStatus.State.RUNNING);
        sshd.kill();
      }
      Thread.sleep(500);
      sshd.restart();
      try (SshHost host = new SshHost(sshd.target())) {
        DetachedRun reattached = new DetachedRuns(host, runsRoot).attach("m2d-remote");
        List<String> lines = new CopyOnWriteArrayList<>();
        RunStatus status = reattached.follow((stream, line) -> lines.add(line), POLL, Duration.ofSeconds(30));
        assertThat(status).isEqualTo(new RunStatus(RunStatus.State.EXITED, 0));
        assertThat(lines).containsExactly("image 1 of 6", "image 2 of 6", "image 3 of 6", "image 4 of 6",
            "image 5 of 6", "image 6 of 6");
      }
    }
  }

  private static void waitFor(DetachedRun run, RunStatus.State state) {
    Awaitility.await("run " + run.id() + " " + state).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> run.status().state() == state);
  }
}
