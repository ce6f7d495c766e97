package dev.ocmirror.orchestrator.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalHostTest {

  final LocalHost host = new LocalHost();
  @TempDir
  Path dir;

  @Test
  void argumentsReachTheProgramUnchangedWhateverTheyContain() {
    List<String> lines = new CopyOnWriteArrayList<>();
    String hostile = "$(touch " + dir.resolve("pwned") + "); `id` 'quoted' \"double\" ; | & *";
    CommandResult result = host.run(Command.of("printf", "%s\\n", hostile, "second"),
        (stream, line) -> lines.add(line), Duration.ofSeconds(10));
    assertThat(result.succeeded()).isTrue();
    assertThat(lines).containsExactly(hostile, "second");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void streamsBothOutputsAndReportsTheExitStatus() {
    List<String> seen = new CopyOnWriteArrayList<>();
    CommandResult result = host.run(Command.of("sh", "-c", "echo out; echo err >&2; exit 3").withEnvironment("X", "1"),
        (stream, line) -> seen.add(stream + ":" + line), Duration.ofSeconds(10));
    assertThat(result.exitStatus()).isEqualTo(3);
    assertThat(result.ending()).isEqualTo(CommandResult.Ending.EXITED);
    assertThat(seen).containsExactlyInAnyOrder("STDOUT:out", "STDERR:err");
  }

  @Test
  void passesEnvironmentAndWorkingDirectory() {
    List<String> seen = new CopyOnWriteArrayList<>();
    host.run(Command.of("sh", "-c", "echo \"$OC_MIRROR_CACHE\"; pwd").withEnvironment("OC_MIRROR_CACHE", "/cache dir")
        .inDirectory(dir.toString()), (stream, line) -> seen.add(line), Duration.ofSeconds(10));
    assertThat(seen).containsExactly("/cache dir", dir.toString());
  }

  @Test
  void stopsACommandAtItsTimeLimit() {
    CommandResult result = host.run(Command.of("sleep", "30"), OutputListener.IGNORE, Duration.ofMillis(300));
    assertThat(result.ending()).isEqualTo(CommandResult.Ending.TIMED_OUT);
    assertThat(result.exitStatus()).isNull();
    assertThat(result.duration()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void cancelsARunningCommand() throws Exception {
    RunningCommand running = host.start(Command.of("sleep", "30"), OutputListener.IGNORE);
    Thread.sleep(200);
    running.cancel();
    CommandResult result = running.await(Duration.ofSeconds(10));
    assertThat(result.ending()).isEqualTo(CommandResult.Ending.CANCELLED);
  }

  @Test
  void refusesAMissingProgramClearly() {
    assertThatThrownBy(() -> host.start(Command.of("/no/such/oc-mirror"), OutputListener.IGNORE))
        .isInstanceOf(HostException.class).hasMessageContaining("/no/such/oc-mirror");
  }

  @Test
  void fileOperations() throws Exception {
    String file = dir.resolve("a/b/config.yaml").toString();
    host.write(file, "kind: ImageSetConfiguration\n".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.getPosixFilePermissions(Path.of(file))).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    assertThat(host.stat(file)).get().satisfies(entry -> assertThat(entry.size()).isEqualTo(28));
    assertThat(new String(host.read(file, 100), StandardCharsets.UTF_8)).startsWith("kind:");
    assertThatThrownBy(() -> host.read(file, 10)).isInstanceOf(HostException.class).hasMessageContaining("28 bytes");
    assertThat(new String(host.readFrom(file, 6, 100), StandardCharsets.UTF_8)).isEqualTo("ImageSetConfiguration\n");
    assertThat(host.sha256(file)).isEqualTo(sha256sum(file)).hasSize(64);
    host.move(file, dir.resolve("a/moved.yaml").toString());
    assertThat(host.list(dir.resolve("a").toString())).extracting(FileEntry::name).containsExactly("b", "moved.yaml");
    assertThat(host.stat(file)).isEmpty();
    assertThat(host.list(dir.resolve("missing").toString())).isEmpty();
    host.write(dir.resolve("other").toString(), new byte[0]);
    assertThatThrownBy(() -> host.move(dir.resolve("other").toString(), dir.resolve("a/moved.yaml").toString()))
        .isInstanceOf(HostException.class);
  }

  static String sha256sum(String file) {
    List<String> out = new CopyOnWriteArrayList<>();
    new LocalHost().run(Command.of("sha256sum", file), (stream, line) -> out.add(line), Duration.ofSeconds(10));
    return out.get(0).substring(0, 64);
  }
}
