package dev.ocmirror.orchestrator.ocmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.awaitility.Awaitility;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome.Verdict;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.remote.OutputListener;
import dev.ocmirror.orchestrator.remote.RunStatus;
import dev.ocmirror.orchestrator.remote.SshHost;
import dev.ocmirror.orchestrator.ledger.ArchiveReader;
import dev.ocmirror.orchestrator.simulator.MirrorFixture;
import dev.ocmirror.orchestrator.support.SmallDisk;
import dev.ocmirror.orchestrator.support.StandIns;
import dev.ocmirror.orchestrator.support.TestRegistry;
import dev.ocmirror.orchestrator.support.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client driving the project's oc-mirror simulator as a real process, moving real images between two
 * real registries, locally and over a real SSH connection.
 */
class OcMirrorClientTest {

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration LIMIT = Duration.ofMinutes(2);

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
  static void registriesAndBinary() {
    fixture = MirrorFixture.start(shared);
    source = fixture.source();
    ocMirror = fixture.ocMirror();
    alpha = fixture.alpha();
    beta = fixture.beta();
    gamma = fixture.gamma();
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static String config(String... images) {
    StringBuilder yaml = new StringBuilder("""
        kind: ImageSetConfiguration
        apiVersion: mirror.openshift.io/v2alpha1
        mirror:
          additionalImages:
        """);
    for (String image : images) {
      yaml.append("    - name: ").append(image).append('\n');
    }
    return yaml.toString();
  }

  private OcMirrorClient client(Host host) {
    return new OcMirrorClient(host, OcMirrorSettings.of(ocMirror, dir.resolve("runs").toString()));
  }

  private static OcMirrorOutcome finish(OcMirrorClient client, DetachedRun run, Workflow workflow, String workspace) {
    RunStatus status = run.follow(OutputListener.IGNORE, POLL, LIMIT);
    assertThat(status.finished()).as("run %s finished", run.id()).isTrue();
    return client.outcome(run, workflow, workspace, false);
  }

  @Test
  void reportsTheVersionOfTheBinary() {
    OcMirrorVersion version = client(new LocalHost()).version();
    assertThat(version.text()).isNotBlank();
    assertThat(version.release()).matches("4\\.\\d+");
  }

  @Test
  void monthOneAndMonthTwoImportIncrementallyIntoAPersistentCache() {
    OcMirrorClient client = client(new LocalHost());
    String workspace = dir.resolve("mirror/workspace").toString();
    String mirrorCache = dir.resolve("mirror/cache").toString();
    String enclaveCache = dir.resolve("enclave/cache").toString();
    try (TestRegistry target = TestRegistry.start(dir.resolve("target"))) {
      String destination = "docker://" + target.hostPort() + "/mirror";

      OcMirrorOutcome month1 = finish(client, client.startMirrorToDisk("m2d-1", workspace, mirrorCache,
          config(alpha, beta), false, null), Workflow.MIRROR_TO_DISK, workspace);
      assertThat(month1.verdict()).as(month1.reasons().toString()).isEqualTo(Verdict.SUCCEEDED);
      assertThat(month1.counts()).containsEntry(ImageType.ADDITIONAL, new OcMirrorLog.Counts(2, 2));
      List<FileEntry> generation1 = client.moveArchivesToStore(workspace, dir.resolve("store/gen-1").toString());
      assertThat(generation1).extracting(FileEntry::name).containsExactly("mirror_000001.tar");
      assertThat(client.archivesIn(workspace)).isEmpty();

      OcMirrorOutcome import1 = finish(client, client.startDiskToMirror("d2m-1", dir.resolve("store/gen-1").toString(),
          enclaveCache, config(alpha, beta), destination, false), Workflow.DISK_TO_MIRROR, dir.resolve("store/gen-1").toString());
      assertThat(import1.verdict()).as(import1.reasons().toString()).isEqualTo(Verdict.SUCCEEDED);
      assertThat(import1.clusterResources()).contains("itms-oc-mirror.yaml");

      OcMirrorOutcome month2 = finish(client, client.startMirrorToDisk("m2d-2", workspace, mirrorCache,
          config(alpha, beta, gamma), false, null), Workflow.MIRROR_TO_DISK, workspace);
      assertThat(month2.verdict()).isEqualTo(Verdict.SUCCEEDED);
      List<FileEntry> generation2 = client.moveArchivesToStore(workspace, dir.resolve("store/gen-2").toString());
      assertThat(generation2.get(0).size()).as("differential").isLessThan(generation1.get(0).size());

      OcMirrorOutcome import2 = finish(client, client.startDiskToMirror("d2m-2", dir.resolve("store/gen-2").toString(),
          enclaveCache, config(alpha, beta, gamma), destination, false), Workflow.DISK_TO_MIRROR, dir.resolve("store/gen-2").toString());
      assertThat(import2.verdict()).as(import2.reasons().toString()).isEqualTo(Verdict.SUCCEEDED);
      assertThat(target.manifestDigest("mirror/demo/gamma", "v1")).isEqualTo(source.manifestDigest("demo/gamma", "v1"));
    }
  }

  @Test
  void aDifferentialArchiveInAnEmptyCacheIsReportedAsIncompleteContent() {
    OcMirrorClient client = client(new LocalHost());
    String workspace = dir.resolve("ws").toString();
    String mirrorCache = dir.resolve("mcache").toString();
    finish(client, client.startMirrorToDisk("first", workspace, mirrorCache, config(alpha, beta), false, null),
        Workflow.MIRROR_TO_DISK, workspace);
    client.moveArchivesToStore(workspace, dir.resolve("gen1").toString());
    finish(client, client.startMirrorToDisk("second", workspace, mirrorCache, config(alpha, beta, gamma), false, null),
        Workflow.MIRROR_TO_DISK, workspace);
    client.moveArchivesToStore(workspace, dir.resolve("gen2").toString());

    try (TestRegistry neverPushedTo = TestRegistry.start(dir.resolve("fresh-target"))) {
      String from = dir.resolve("gen2").toString();
      OcMirrorOutcome outcome = finish(client, client.startDiskToMirror("only-gen2", from, dir.resolve("empty-cache").toString(),
          config(alpha, beta, gamma), "docker://" + neverPushedTo.hostPort() + "/mirror", false), Workflow.DISK_TO_MIRROR, from);
      assertThat(outcome.verdict()).isEqualTo(Verdict.INCOMPLETE_CONTENT);
      assertThat(outcome.reasons()).singleElement().asString().contains("manifest unknown");
      assertThat(outcome.failedImages()).isNotEmpty();
    }
  }

  @Test
  void aFailingImageFailsTheRunWithItsCauseAndNoArchive() throws Exception {
    Path failing = Files.writeString(dir.resolve("oc-mirror-failing"), "#!/bin/sh\nexport OC_MIRROR_SIMULATOR_FAIL_IMAGES=demo/beta\nexec "
        + ocMirror + " \"$@\"\n");
    failing.toFile().setExecutable(true);
    OcMirrorClient client = new OcMirrorClient(new LocalHost(), OcMirrorSettings.of(failing.toString(), dir.resolve("runs").toString()));
    String workspace = dir.resolve("ws").toString();
    OcMirrorOutcome outcome = finish(client, client.startMirrorToDisk("fails", workspace, dir.resolve("c").toString(),
        config(alpha, beta), false, null), Workflow.MIRROR_TO_DISK, workspace);
    assertThat(outcome.verdict()).isEqualTo(Verdict.FAILED_IMAGES);
    assertThat(outcome.failedImages()).extracting(OcMirrorLog.FailedImage::image).containsExactly(beta);
    assertThat(outcome.failedImages().get(0).cause()).contains("simulated failure");
    assertThat(outcome.archives()).isEmpty();
  }

  @Test
  void aDiskThatFillsUpUnderMirrorToDiskFailsTheRunWithTheKernelsWordsAndTheRunAfterSpaceIsMadeStartsClean() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), 1024 * 1024)) {
      Path ballast = Files.write(disk.path().resolve("ballast"), new byte[(int) disk.free() - 48 * 1024]);
      OcMirrorClient client = client(new LocalHost());
      String workspace = disk.path().resolve("ws").toString();
      String config = config(alpha, beta, gamma);
      OcMirrorOutcome full = finish(client, client.startMirrorToDisk("full", workspace, dir.resolve("c").toString(), config,
          false, null), Workflow.MIRROR_TO_DISK, workspace);
      assertThat(full.verdict()).as(full.reasons().toString()).isEqualTo(Verdict.FAILED);
      assertThat(String.join("\n", full.errors())).containsIgnoringCase("no space left on device");
      assertThat(client.archivesIn(workspace)).as("the unfinished archive the failed run left").isNotEmpty();

      // Space made, the operator's "try again" is a new run: it starts by deleting what the failed one left.
      Files.delete(ballast);
      OcMirrorOutcome again = finish(client, client.startMirrorToDisk("full-2", workspace, dir.resolve("c").toString(), config,
          false, null), Workflow.MIRROR_TO_DISK, workspace);
      assertThat(again.verdict()).as(again.reasons().toString()).isEqualTo(Verdict.SUCCEEDED);
      assertThat(client.archivesIn(workspace)).extracting(FileEntry::name).as("the archives in the workspace")
          .containsExactlyElementsOf(again.archives());
      for (FileEntry archive : client.archivesIn(workspace)) {
        // Read to the end, every blob in it held to its digest.
        assertThat(new ArchiveReader().read(Path.of(archive.path())).blobs()).as(archive.name() + ", whole").isNotEmpty();
      }
    }
  }

  @Test
  void aRefusedConfigurationIsRejected() {
    OcMirrorClient client = client(new LocalHost());
    String workspace = dir.resolve("ws").toString();
    String v1 = "kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v1alpha2\nstorageConfig:\n  local:\n    path: ./x\n"
        + "mirror:\n  additionalImages:\n    - name: " + alpha + "\n";
    OcMirrorOutcome outcome = finish(client, client.startMirrorToDisk("v1-config", workspace, dir.resolve("c").toString(),
        v1, false, null), Workflow.MIRROR_TO_DISK, workspace);
    assertThat(outcome.verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(String.join("\n", outcome.errors()) + outcome.reasons()).contains("storageConfig");
  }

  @Test
  void aDryRunSucceedsWithoutWritingAnArchive() {
    OcMirrorClient client = client(new LocalHost());
    String workspace = dir.resolve("dry").toString();
    DetachedRun run = client.startMirrorToDisk("dry-run-1", workspace, dir.resolve("c").toString(), config(alpha, beta), true, null);
    run.follow(OutputListener.IGNORE, POLL, LIMIT);
    OcMirrorOutcome outcome = client.outcome(run, Workflow.MIRROR_TO_DISK, workspace, true);
    assertThat(outcome.verdict()).as(outcome.reasons().toString()).isEqualTo(Verdict.SUCCEEDED);
    assertThat(outcome.archives()).isEmpty();
    assertThat(dir.resolve("dry/working-dir/dry-run/missing.txt")).content().contains("demo/alpha").contains("demo/beta");
  }

  @Test
  void refusesAWorkspaceWithAnOcMirrorKeyword() {
    OcMirrorClient client = client(new LocalHost());
    assertThatThrownBy(() -> client.startMirrorToDisk("bad", dir.resolve("logs").toString(), dir.resolve("c").toString(),
        config(alpha), false, null)).hasMessageContaining("'logs'");
  }

  @Test
  void overSshAMirrorSurvivesACutConnectionAndIsJudgedAfterReattaching() throws Exception {
    String workspace = dir.resolve("remote-ws").toString();
    try (TestSshd sshd = TestSshd.start(dir.resolve("sshd"))) {
      OcMirrorOutcome outcome = cutWhileRunningThenJudged(sshd, "remote-m2d", Workflow.MIRROR_TO_DISK, workspace,
          client -> client.startMirrorToDisk("remote-m2d", workspace, dir.resolve("rc").toString(), config(alpha, beta, gamma),
              false, null));
      assertThat(outcome.verdict()).as(outcome.reasons().toString()).isEqualTo(Verdict.SUCCEEDED);
      assertThat(outcome.counts()).containsEntry(ImageType.ADDITIONAL, new OcMirrorLog.Counts(3, 3));
    }
  }

  @Test
  void overSshAnImportSurvivesACutConnectionAndIsJudgedAfterReattaching() throws Exception {
    OcMirrorClient local = client(new LocalHost());
    String workspace = dir.resolve("mirror/workspace").toString();
    String archives = dir.resolve("store/gen-1").toString();
    assertThat(finish(local, local.startMirrorToDisk("m2d", workspace, dir.resolve("mirror/cache").toString(),
        config(alpha, beta, gamma), false, null), Workflow.MIRROR_TO_DISK, workspace).verdict()).isEqualTo(Verdict.SUCCEEDED);
    local.moveArchivesToStore(workspace, archives);
    try (TestSshd sshd = TestSshd.start(dir.resolve("sshd")); TestRegistry target = TestRegistry.start(dir.resolve("target"))) {
      String destination = "docker://" + target.hostPort() + "/mirror";
      OcMirrorOutcome outcome = cutWhileRunningThenJudged(sshd, "remote-d2m", Workflow.DISK_TO_MIRROR, archives,
          client -> client.startDiskToMirror("remote-d2m", archives, dir.resolve("enclave/cache").toString(),
              config(alpha, beta, gamma), destination, false));
      assertThat(outcome.verdict()).as(outcome.reasons().toString()).isEqualTo(Verdict.SUCCEEDED);
      assertThat(outcome.counts()).containsEntry(ImageType.ADDITIONAL, new OcMirrorLog.Counts(3, 3));
      assertThat(target.manifestDigest("mirror/demo/gamma", "v1")).isEqualTo(source.manifestDigest("demo/gamma", "v1"));
    }
  }

  /**
   * Starts a slowed run over SSH, cuts every SSH session once the run counts its images, and judges the run through a
   * new connection once the host answers again: the run went on detached and was not started a second time.
   */
  private OcMirrorOutcome cutWhileRunningThenJudged(TestSshd sshd, String runId, Workflow workflow, String workspace,
      java.util.function.Function<OcMirrorClient, DetachedRun> start) throws Exception {
    Path slow = Files.writeString(dir.resolve("oc-mirror-slow"), "#!/bin/sh\nexport OC_MIRROR_SIMULATOR_DELAY_PER_IMAGE_MS=700\nexec "
        + ocMirror + " \"$@\"\n");
    slow.toFile().setExecutable(true);
    OcMirrorSettings settings = OcMirrorSettings.of(slow.toString(), dir.resolve("runs").toString());
    try (SshHost host = new SshHost(sshd.target())) {
      OcMirrorClient client = new OcMirrorClient(host, settings);
      OcMirrorClient.ProgressWatch watch = client.watch(start.apply(client));
      Awaitility.await("the run's image count").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
          .until(() -> watch.look().imagesTotal() != null);
      OcMirrorProgress progress = watch.look();
      assertThat(progress.status().state()).isEqualTo(RunStatus.State.RUNNING);
      assertThat(progress.imagesTotal()).isEqualTo(3);
      sshd.kill();
    }
    sshd.restart();
    try (SshHost host = new SshHost(sshd.target())) {
      OcMirrorClient client = new OcMirrorClient(host, settings);
      OcMirrorOutcome outcome = finish(client, client.attach(runId), workflow, workspace);
      assertThat(client.watch(client.attach(runId)).look().imagesDone()).isEqualTo(3);
      assertThat(Files.readString(dir.resolve("runs/" + runId + "/output.log"))).as("one run, reattached, not started again")
          .containsOnlyOnce("Hello, welcome to oc-mirror");
      return outcome;
    }
  }

  @Test
  void a416BinaryIsReadAlikeAndRefusesFlagsItDoesNotKnowBeforeAnyRun() throws Exception {
    String v416 = StandIns.ocMirrorOfRelease(dir.resolve("bin"), ocMirror, "4.16").toString();
    String runs = dir.resolve("runs").toString();
    OcMirrorClient plain = new OcMirrorClient(new LocalHost(), OcMirrorSettings.of(v416, runs));
    assertThat(plain.version().release()).isEqualTo("4.16");
    String workspace = dir.resolve("ws").toString();
    String cache = dir.resolve("cache").toString();

    DetachedRun dry = plain.startMirrorToDisk("dry", workspace, cache, config(alpha, beta), true, null);
    assertThat(dry.follow(OutputListener.IGNORE, POLL, LIMIT).finished()).isTrue();
    OcMirrorOutcome dryRun = plain.outcome(dry, Workflow.MIRROR_TO_DISK, workspace, true);
    assertThat(dryRun.verdict()).as(dryRun.reasons() + "\n" + dryRun.errors()).isEqualTo(Verdict.SUCCEEDED);
    assertThat(dryRun.ocMirrorVersion()).as("recorded from the binary; 4.16 prints none").isEqualTo("4.16.0-simulator");
    assertThat(dir.resolve("ws/mirror_000001.tar")).isEmptyFile();
    assertThat(plain.archivesIn(workspace)).as("an empty tar is no archive").isEmpty();

    DetachedRun m2d = plain.startMirrorToDisk("m2d", workspace, cache, config(alpha, beta), false, null);
    OcMirrorOutcome month1 = finish(plain, m2d, Workflow.MIRROR_TO_DISK, workspace);
    assertThat(month1.verdict()).as(month1.reasons().toString()).isEqualTo(Verdict.SUCCEEDED);
    assertThat(month1.counts()).containsEntry(ImageType.ADDITIONAL, new OcMirrorLog.Counts(2, 2));
    OcMirrorProgress done = plain.watch(m2d).look();
    assertThat(done.imagesDone()).isEqualTo(2);
    assertThat(done.imagesTotal()).isEqualTo(2);
    assertThat(plain.archivesIn(workspace)).singleElement().satisfies(archive -> assertThat(archive.size()).isPositive());

    OcMirrorClient parallel = new OcMirrorClient(new LocalHost(), new OcMirrorSettings(v416, runs,
        new OcMirrorFlags(null, null, 4, null, null, null, null, null, null, null, null, null, null), null));
    assertThatThrownBy(() -> parallel.startMirrorToDisk("refused", workspace, cache, config(alpha), false, null))
        .isInstanceOf(RunRefused.class)
        .hasMessageContaining("is release 4.16, which does not know --parallel-images (since 4.18)");
    assertThat(dir.resolve("runs/refused")).doesNotExist();
    assertThat(plain.archivesIn(workspace)).as("nothing touched").hasSize(1);
  }
}
