package dev.ocmirror.orchestrator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.CommandResult;
import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.support.TestRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against the contract (../shared/reference/oc-mirror-v2-contract.md sections 1, 3, 5, 7, 8). */
class OcMirrorSimulatorTest {

  @TempDir
  static Path shared;
  static MirrorFixture fixture;
  static TestRegistry source;
  static String ocMirror;
  static String alpha;
  static String beta;
  static String gamma;

  @TempDir
  Path dir;

  @BeforeAll
  static void setUp() {
    fixture = MirrorFixture.start(shared);
    source = fixture.source();
    ocMirror = fixture.ocMirror();
    alpha = fixture.alpha();
    beta = fixture.beta();
    gamma = fixture.gamma();
  }

  @AfterAll
  static void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  record Run(int exit, List<String> stdout, List<String> stderr) {
    String all() {
      return String.join("\n", stdout) + "\n" + String.join("\n", stderr);
    }
  }

  private Run ocMirror(Map<String, String> env, String... args) {
    List<String> argv = new ArrayList<>(List.of(ocMirror));
    argv.addAll(dev.ocmirror.orchestrator.support.CachePort.added(List.of(args), env));
    Command command = Command.of(argv);
    for (Map.Entry<String, String> variable : env.entrySet()) {
      command = command.withEnvironment(variable.getKey(), variable.getValue());
    }
    List<String> out = new CopyOnWriteArrayList<>();
    List<String> err = new CopyOnWriteArrayList<>();
    CommandResult result = new LocalHost().run(command,
        (stream, line) -> (stream == dev.ocmirror.orchestrator.remote.OutputListener.Stream.STDOUT ? out : err).add(line),
        Duration.ofMinutes(2));
    return new Run(result.exitStatus(), out, err);
  }

  private Path config(String name, String... images) throws Exception {
    StringBuilder yaml = new StringBuilder("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n"
        + "  additionalImages:\n");
    for (String image : images) {
      yaml.append("  - name: ").append(image).append('\n');
    }
    return Files.writeString(dir.resolve(name), yaml.toString());
  }

  private static List<String> entries(Path tar) throws Exception {
    List<String> names = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream archive = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = archive.getNextEntry()) != null) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  private Map<String, String> cache(String name) {
    return Map.of("OC_MIRROR_CACHE", dir.resolve(name).toString());
  }

  @Test
  void firstArchiveIsFullAndTheSecondHoldsOnlyNewBlobsPlusThePreviousHistory() throws Exception {
    Path workspace = dir.resolve("ws");
    Run first = ocMirror(cache("c"), "-c", config("one.yaml", alpha, beta).toString(), "file://" + workspace, "--v2");
    assertThat(first.exit()).as(first.all()).isZero();
    List<String> archive1 = entries(workspace.resolve("mirror_000001.tar"));
    assertThat(archive1.stream().filter(n -> n.contains("/blobs/"))).hasSize(7);
    assertThat(archive1).anyMatch(n -> n.startsWith("docker/registry/v2/repositories/demo/alpha/_manifests/tags/v1/current/link"))
        .anyMatch(n -> n.startsWith("isc_")).anyMatch(n -> n.startsWith("working-dir/"))
        .noneMatch(n -> n.contains(".history-"));
    try (Stream<Path> history = Files.list(workspace.resolve("working-dir/.history"))) {
      assertThat(history.toList()).singleElement().satisfies(file -> assertThat(Files.readAllLines(file)).hasSize(7));
    }
    assertThat(first.stdout()).anyMatch(l -> l.contains("✓  2 / 2 additional images mirrored successfully"))
        .anyMatch(l -> l.contains("Goodbye, thank you for using oc-mirror"));
    assertThat(first.stderr()).anyMatch(l -> l.contains("Hello, welcome to oc-mirror"));
    assertThat(Files.list(workspace.resolve("working-dir/logs")).map(p -> p.getFileName().toString()))
        .anyMatch(n -> n.matches("oc-mirror-\\d{8}_\\d{6}\\.log"));

    Files.move(workspace.resolve("mirror_000001.tar"), dir.resolve("month1.tar"));
    Run second = ocMirror(cache("c"), "-c", config("two.yaml", alpha, beta, gamma).toString(), "file://" + workspace, "--v2");
    assertThat(second.exit()).as(second.all()).isZero();
    List<String> archive2 = entries(workspace.resolve("mirror_000001.tar"));
    assertThat(archive2.stream().filter(n -> n.contains("/blobs/"))).hasSize(3);
    assertThat(archive2).anyMatch(n -> n.contains("repositories/demo/alpha/")).anyMatch(n -> n.contains(".history-"));
  }

  @Test
  void diskToMirrorNeedsEveryEarlierArchiveInItsCache() throws Exception {
    Path workspace = dir.resolve("ws");
    Path gen1 = Files.createDirectories(dir.resolve("gen1"));
    Path gen2 = Files.createDirectories(dir.resolve("gen2"));
    Path both = Files.createDirectories(dir.resolve("both"));
    ocMirror(cache("m"), "-c", config("one.yaml", alpha, beta).toString(), "file://" + workspace, "--v2");
    Files.copy(workspace.resolve("mirror_000001.tar"), gen1.resolve("mirror_000001.tar"));
    Files.copy(workspace.resolve("mirror_000001.tar"), both.resolve("mirror_000001.tar"));
    Path three = config("three.yaml", alpha, beta, gamma);
    ocMirror(cache("m"), "-c", three.toString(), "file://" + workspace, "--v2");
    Files.copy(workspace.resolve("mirror_000001.tar"), gen2.resolve("mirror_000001.tar"));
    Files.copy(workspace.resolve("mirror_000001.tar"), both.resolve("mirror_000002.tar"));

    try (TestRegistry fresh = TestRegistry.start(dir.resolve("fresh"))) {
      Run onlyNew = ocMirror(cache("empty"), "-c", three.toString(), "--from", "file://" + gen2, "docker://" + fresh.hostPort(), "--v2");
      assertThat(onlyNew.exit()).isEqualTo(8);
      assertThat(onlyNew.all()).contains("manifest unknown").contains("0 / 3 additional images mirrored");
      assertThat(fresh.manifestDigest("demo/alpha", "v1")).isNull();
    }
    try (TestRegistry target = TestRegistry.start(dir.resolve("target"))) {
      Run all = ocMirror(cache("fresh-cache"), "-c", three.toString(), "--from", "file://" + both, "docker://" + target.hostPort()
          + "/ns", "--v2");
      assertThat(all.exit()).as(all.all()).isZero();
      assertThat(all.stdout()).anyMatch(l -> l.contains("Extracting chunk file (2 / 2)"));
      for (String repo : List.of("demo/alpha", "demo/beta", "demo/gamma")) {
        assertThat(target.manifestDigest("ns/" + repo, "v1")).isEqualTo(source.manifestDigest(repo, "v1"));
      }
      assertThat(both.resolve("working-dir/cluster-resources/itms-oc-mirror.yaml")).content()
          .contains("kind: ImageTagMirrorSet").contains("source: " + source.hostPort() + "/demo")
          .contains("- " + target.hostPort() + "/ns/demo");
    }
    try (TestRegistry target = TestRegistry.start(dir.resolve("incremental"))) {
      Path kept = dir.resolve("kept-cache");
      ocMirror(Map.of("OC_MIRROR_CACHE", kept.toString()), "-c", config("one-again.yaml", alpha, beta).toString(), "--from",
          "file://" + gen1, "docker://" + target.hostPort(), "--v2");
      Run incremental = ocMirror(Map.of("OC_MIRROR_CACHE", kept.toString()), "-c", three.toString(), "--from", "file://" + gen2,
          "docker://" + target.hostPort(), "--v2");
      assertThat(incremental.exit()).as(incremental.all()).isZero();
      assertThat(target.manifestDigest("demo/gamma", "v1")).isEqualTo(source.manifestDigest("demo/gamma", "v1"));
    }
  }

  @Test
  void aLostGraphImageIsFatalWithTheContractsMessage() throws Exception {
    Path graphConfig = Files.writeString(dir.resolve("graph.yaml"), "kind: ImageSetConfiguration\nmirror:\n  platform:\n"
        + "    graph: true\n  additionalImages:\n  - name: " + alpha + "\n");
    Path workspace = dir.resolve("ws");
    Run m2d = ocMirror(cache("m"), "-c", graphConfig.toString(), "file://" + workspace, "--v2");
    assertThat(m2d.exit()).as(m2d.all()).isZero();
    Files.move(workspace.resolve("mirror_000001.tar"), dir.resolve("gen1.tar"));
    ocMirror(cache("m"), "-c", graphConfig.toString(), "file://" + workspace, "--v2");
    try (TestRegistry target = TestRegistry.start(dir.resolve("target"))) {
      Run d2m = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("lost").toString()), "-c", graphConfig.toString(), "--from",
          "file://" + workspace, "docker://" + target.hostPort(), "--v2", "--port", "55123");
      assertThat(d2m.exit()).isEqualTo(2);
      assertThat(d2m.all()).contains("[ReleaseImageCollector]  error processing graph image in local cache: reading manifest "
          + "latest in localhost:55123/openshift/graph-image: manifest unknown");
    }
  }

  @Test
  void failedImagesWriteTheErrorsFileNoArchiveAndSetTheBit() throws Exception {
    Path workspace = dir.resolve("ws");
    Run run = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("c").toString(), "OC_MIRROR_SIMULATOR_FAIL_IMAGES", "demo/beta"),
        "-c", config("one.yaml", alpha, beta).toString(), "file://" + workspace, "--v2");
    assertThat(run.exit()).isEqualTo(8);
    assertThat(workspace.resolve("mirror_000001.tar")).doesNotExist();
    assertThat(Files.list(workspace.resolve("working-dir/logs")).map(p -> p.getFileName().toString()))
        .anyMatch(n -> n.startsWith("mirroring_errors_"));
    Run legacy = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("c").toString(), "OC_MIRROR_SIMULATOR_FAIL_IMAGES", "demo/beta",
        "OC_MIRROR_SIMULATOR_LEGACY_EXIT_ZERO", "true"), "-c", config("one.yaml", alpha, beta).toString(), "file://" + workspace, "--v2");
    assertThat(legacy.exit()).isZero();
    assertThat(legacy.all()).contains("1 / 2 additional images mirrored");
  }

  @Test
  void commandLineRejections() throws Exception {
    String cfg = config("one.yaml", alpha).toString();
    assertThat(ocMirror(Map.of(), "-c", cfg, "file://" + dir.resolve("a")).exit()).isEqualTo(255);
    assertThat(ocMirror(Map.of(), "file://" + dir.resolve("a"), "--v2").all()).contains("--config");
    assertThat(ocMirror(Map.of(), "-c", cfg, "file://" + dir.resolve("a"), "--from", "file:///x", "--v2").exit()).isEqualTo(1);
    assertThat(ocMirror(Map.of(), "-c", cfg, "docker://127.0.0.1:1", "--v2").exit()).isEqualTo(1);
    Run keyword = ocMirror(Map.of(), "-c", cfg, "file://" + dir.resolve("my-logs"), "--v2");
    assertThat(keyword.exit()).isEqualTo(1);
    assertThat(keyword.all()).contains("internal oc-mirror keyword");
    assertThat(ocMirror(Map.of(), "-c", cfg, "file://" + dir.resolve("a"), "--since", "23.11.2026", "--v2").exit()).isEqualTo(1);
    assertThat(ocMirror(Map.of(), "-c", cfg, "file://" + dir.resolve("a"), "--parallel-images", "11", "--v2").exit()).isEqualTo(1);
    Path v1 = Files.writeString(dir.resolve("v1.yaml"), "kind: ImageSetConfiguration\nstorageConfig:\n  local:\n    path: x\nmirror: {}\n");
    Run storage = ocMirror(cache("c"), "-c", v1.toString(), "file://" + dir.resolve("a"), "--v2");
    assertThat(storage.exit()).isEqualTo(1);
    assertThat(storage.all()).contains("decode ImageSetConfiguration: json: unknown field \"storageConfig\"");
    assertThat(ocMirror(Map.of(), "--v2", "version", "--output", "json").stdout()).singleElement().asString()
        .contains("\"gitVersion\":\"" + OcMirrorSimulator.VERSION + "\"");
  }

  @Test
  void aBoundCachePortIsRefused() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Run run = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("c").toString(), "REGISTRY_HTTP_ADDR", "127.0.0.1:" + port),
          "-c", config("one.yaml", alpha).toString(), "file://" + dir.resolve("ws"), "--v2", "--port", String.valueOf(port));
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.all()).contains(port + " is already bound and cannot be used");
    }
  }

  @Test
  void aDryRunListsWhatTheCacheLacksWithoutArchiving() throws Exception {
    Path workspace = dir.resolve("ws");
    Run run = ocMirror(cache("c"), "-c", config("one.yaml", alpha, beta).toString(), "file://" + workspace, "--v2", "--dry-run",
        "--port", "55222");
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(workspace.resolve("working-dir/dry-run/mapping.txt")).content()
        .contains("docker://" + alpha + "=docker://localhost:55222/demo/alpha:v1");
    assertThat(workspace.resolve("working-dir/dry-run/missing.txt")).content().contains("demo/beta");
    assertThat(workspace.resolve("mirror_000001.tar")).doesNotExist();
  }

  @Test
  void aCrashLeavesNoArchive() throws Exception {
    Path workspace = dir.resolve("ws");
    Run run = ocMirror(Map.of("OC_MIRROR_CACHE", dir.resolve("c").toString(), "OC_MIRROR_SIMULATOR_CRASH_AFTER_IMAGES", "1"),
        "-c", config("one.yaml", alpha, beta).toString(), "file://" + workspace, "--v2");
    assertThat(run.exit()).isEqualTo(137);
    assertThat(workspace.resolve("mirror_000001.tar")).doesNotExist();
  }

  @Test
  void asRelease416ItWritesEverythingToStderrArchivesDespiteFailuresAndLeavesAnEmptyTarAfterADryRun() throws Exception {
    Map<String, String> v416 = Map.of("OC_MIRROR_CACHE", dir.resolve("c").toString(), "OC_MIRROR_SIMULATOR_RELEASE", "4.16");
    assertThat(ocMirror(v416, "--v2", "version", "--output", "json").stdout()).singleElement().asString()
        .contains("\"major\":\"4\",\"minor\":\"16\"");
    Path workspace = dir.resolve("ws");
    String missing = source.hostPort() + "/demo/gone:v1";

    Run dryRun = ocMirror(v416, "-c", config("one.yaml", alpha, beta).toString(), "file://" + workspace, "--v2", "--dry-run");
    assertThat(dryRun.exit()).as(dryRun.all()).isZero();
    assertThat(workspace.resolve("mirror_000001.tar")).isEmptyFile();

    Run run = ocMirror(v416, "-c", config("two.yaml", alpha, missing, beta).toString(), "file://" + workspace, "--v2");
    assertThat(run.exit()).as("4.16 exits 0 with failed images").isZero();
    assertThat(run.stdout()).isEmpty();
    assertThat(run.all()).doesNotContain("environment version").doesNotContain("Success copying")
        .contains("=== Overall Progress -  image 2 / 3 (1 errors)===", " image: docker://" + beta,
            "Images mirrored 2 / 3: Some additional images failed to mirror", "[WARN]   : some errors occurred during the mirroring.");
    assertThat(entries(workspace.resolve("mirror_000001.tar"))).as("archived anyway").anyMatch(name -> name.contains("/blobs/"));
    assertThat(Files.list(workspace.resolve("working-dir/logs")).map(p -> p.getFileName().toString()))
        .allMatch(name -> name.startsWith("mirroring_errors_"));

    Run unknownFlag = ocMirror(v416, "-c", config("one.yaml", alpha).toString(), "file://" + workspace, "--v2",
        "--parallel-images", "4");
    assertThat(unknownFlag.exit()).isEqualTo(1);
    assertThat(unknownFlag.all()).contains("unknown flag: --parallel-images");
  }
}
