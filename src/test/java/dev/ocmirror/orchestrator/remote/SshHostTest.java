package dev.ocmirror.orchestrator.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.support.TestSshd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshHostTest {

  static TestSshd sshd;
  static SshHost host;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer(@TempDir Path serverDir) {
    sshd = TestSshd.start(serverDir.resolve("sshd"));
    host = new SshHost(sshd.target());
  }

  @AfterAll
  static void stopServer() {
    if (host != null) {
      host.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void runsAProgramWithHostileArgumentsLiterally() {
    List<String> lines = new CopyOnWriteArrayList<>();
    String hostile = "$(touch " + dir.resolve("pwned") + "); `id` it's \"x\" ; | & * \\ \n newline";
    CommandResult result = host.run(Command.of("printf", "%s|", hostile, "second"), (s, line) -> lines.add(line),
        Duration.ofSeconds(20));
    assertThat(result.succeeded()).isTrue();
    assertThat(String.join("\n", lines)).isEqualTo(hostile + "|second|");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void streamsStdoutAndStderrSeparatelyWithEnvironmentAndDirectory() {
    List<String> seen = new CopyOnWriteArrayList<>();
    CommandResult result = host.run(Command.of("sh", "-c", "echo \"$OC_MIRROR_CACHE\"; pwd; echo oops >&2; exit 20")
            .withEnvironment("OC_MIRROR_CACHE", "/var/cache/it's here").inDirectory(dir.toString()),
        (stream, line) -> seen.add(stream + ":" + line), Duration.ofSeconds(20));
    assertThat(result.exitStatus()).isEqualTo(20);
    assertThat(seen).containsExactlyInAnyOrder("STDOUT:/var/cache/it's here", "STDOUT:" + dir, "STDERR:oops");
  }

  @Test
  void stopsACommandAtItsTimeLimit() {
    CommandResult result = host.run(Command.of("sleep", "30"), OutputListener.IGNORE, Duration.ofMillis(500));
    assertThat(result.ending()).isEqualTo(CommandResult.Ending.TIMED_OUT);
    assertThat(result.duration()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void cancelStopsTheRemoteProgram() throws Exception {
    Path marker = dir.resolve("still-running");
    RunningCommand running = host.start(Command.of("sh", "-c", "sleep 3; touch \"$1\"", "sh", marker.toString()),
        OutputListener.IGNORE);
    Thread.sleep(500);
    running.cancel();
    assertThat(running.await(Duration.ofSeconds(10)).ending()).isEqualTo(CommandResult.Ending.CANCELLED);
    Thread.sleep(3500);
    assertThat(marker).doesNotExist();
  }

  @Test
  void aCancelRightAfterTheStartStillStopsTheRemoteProgram() throws Exception {
    Path marker = dir.resolve("started-and-not-stopped");
    RunningCommand running = host.start(Command.of("sh", "-c", "sleep 2; touch \"$1\"", "sh", marker.toString()),
        OutputListener.IGNORE);
    running.cancel();
    CommandResult result = running.await(Duration.ofSeconds(10));
    assertThat(result.ending()).isEqualTo(CommandResult.Ending.CANCELLED);
    assertThat(result.duration()).isLessThan(Duration.ofSeconds(2));
    Thread.sleep(2500);
    assertThat(marker).doesNotExist();
  }

  @Test
  void filesAreHashedOnTheHostWhateverTheirNames() throws Exception {
    for (String name : List.of("plain.tar", "with space.tar", "back\\slash.tar", "new\nline.tar", "-looks-like-an-option")) {
      java.nio.file.Path file = java.nio.file.Files.write(dir.resolve(name), name.getBytes(StandardCharsets.UTF_8));
      assertThat(host.sha256(file.toString())).as(name).isEqualTo(new LocalHost().sha256(file.toString()));
    }
  }

  @Test
  void aConnectionCutWhileHashingIsAFaultToRetryAndTheNextHashWorks() throws Exception {
    java.nio.file.Path big = dev.ocmirror.orchestrator.support.Rounds.randomFile(dir.resolve("big.tar"), 768, 3);
    try (TestSshd own = TestSshd.start(dir.resolve("own-sshd")); SshHost cut = new SshHost(own.target())) {
      cut.run(Command.of("true"), OutputListener.IGNORE, Duration.ofSeconds(10));
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(150);
          own.kill();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      killer.start();
      assertThatThrownBy(() -> cut.sha256(big.toString())).isInstanceOf(HostException.class)
          .hasMessageContaining("big.tar");
      killer.join();
      own.restart();
      assertThat(cut.sha256(big.toString())).isEqualTo(new LocalHost().sha256(big.toString()));
    }
  }

  @Test
  void fileOperationsOverSftp() throws Exception {
    String file = dir.resolve("store/gen-1/isc.yaml").toString();
    host.write(file, "mirror: {}\n".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(Path.of(file))).isEqualTo("mirror: {}\n");
    assertThat(Files.getPosixFilePermissions(Path.of(file))).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    host.write(file, "mirror: {operators: []}\n".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(host.read(file, 1000), StandardCharsets.UTF_8)).isEqualTo("mirror: {operators: []}\n");
    assertThat(new String(host.readFrom(file, 9, 9), StandardCharsets.UTF_8)).isEqualTo("operators");
    assertThat(host.stat(file)).get().satisfies(entry -> {
      assertThat(entry.size()).isEqualTo(24);
      assertThat(entry.directory()).isFalse();
    });
    assertThat(host.sha256(file)).isEqualTo(new LocalHost().sha256(file));
    host.move(file, dir.resolve("store/moved.yaml").toString());
    assertThat(host.list(dir.resolve("store").toString())).extracting(FileEntry::name).containsExactly("gen-1", "moved.yaml");
    assertThat(host.stat(file)).isEmpty();
    assertThat(host.list(dir.resolve("nothing-here").toString())).isEmpty();
    host.delete(dir.resolve("store/moved.yaml").toString());
    host.delete(dir.resolve("store/gen-1").toString());
    host.delete(dir.resolve("store/never-there").toString());
    assertThat(host.list(dir.resolve("store").toString())).isEmpty();
    assertThatThrownBy(() -> host.sha256(dir.resolve("absent").toString()))
        .isInstanceOf(HostException.class).hasMessageContaining("absent");
  }

  @Test
  void refusesAnUnknownHostKey() throws Exception {
    Path empty = Files.writeString(dir.resolve("known_hosts_empty"), "");
    try (SshHost stranger = new SshHost(sshd.targetWithKnownHosts(empty))) {
      assertThatThrownBy(() -> stranger.run(Command.of("true"), OutputListener.IGNORE, Duration.ofSeconds(10)))
          .isInstanceOf(HostKeyRejectedException.class)
          .hasMessageContaining("is not in " + empty)
          .hasMessageContaining("SHA256:");
    }
  }

  @Test
  void refusesAChangedHostKey() throws Exception {
    Path otherKey = sshd.newKeyPair("impostor_" + System.nanoTime());
    Path wrong = Files.writeString(dir.resolve("known_hosts_wrong"), sshd.knownHostsLine(otherKey));
    try (SshHost impostor = new SshHost(sshd.targetWithKnownHosts(wrong))) {
      assertThatThrownBy(() -> impostor.stat("/"))
          .isInstanceOf(HostKeyRejectedException.class)
          .hasMessageContaining("HOST KEY CHANGED");
    }
  }

  @Test
  void reportsAMissingKnownHostsFileBeforeConnecting() {
    try (SshHost misconfigured = new SshHost(sshd.targetWithKnownHosts(dir.resolve("no_such_known_hosts")))) {
      assertThatThrownBy(() -> misconfigured.stat("/"))
          .isInstanceOf(HostException.class).hasMessageContaining("no_such_known_hosts");
    }
  }
}
