package dev.ocmirror.orchestrator.ocmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome.Verdict;
import dev.ocmirror.orchestrator.remote.RunStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every release from 4.16 on, read alike: the version from {@code version --output json}, progress and Results in
 * the current format and in 4.16's (contract sections 5 and 9), and the flags a site sets, refused before a run by
 * a release that does not know them.
 */
class OcMirrorReleasesTest {

  private static OcMirrorLog log(String text) {
    OcMirrorLog log = new OcMirrorLog();
    text.lines().forEach(log::accept);
    return log;
  }

  private static OcMirrorOutcome judge(Workflow workflow, OcMirrorLog log, List<String> archives) {
    return OcMirrorOutcome.judge(workflow, false, new RunStatus(RunStatus.State.EXITED, 0), log, "4.16.0-202409051237.p0",
        archives, List.of(), Duration.ofSeconds(2));
  }

  // --- the version ---

  @Test
  void theVersionCommandOfEveryReleaseNamesItsRelease() {
    OcMirrorVersion v416 = OcMirrorVersion.parse("{\"clientVersion\":{\"major\":\"4\",\"minor\":\"16\",\"gitVersion\":"
        + "\"4.16.0-202409051237.p0.g7b5a8b1.assembly.stream.el9-7b5a8b1\",\"gitCommit\":\"7b5a8b1\",\"goVersion\":\"go1.22.5\"}}");
    assertThat(v416.release()).isEqualTo("4.16");
    assertThat(v416.atLeast(4, 18)).isFalse();
    assertThat(v416.atLeast(4, 16)).isTrue();

    OcMirrorVersion noMajor = OcMirrorVersion.parse("{\"clientVersion\":{\"major\":\"\",\"minor\":\"\",\"gitVersion\":"
        + "\"4.18.0-202503121435.p0.g0b5d2e0.assembly.stream.el9-0b5d2e0\"}}");
    assertThat(noMajor.release()).isEqualTo("4.18");

    OcMirrorVersion noisy = OcMirrorVersion.parse("W1202 warning first\n{\"clientVersion\":{\"gitVersion\":\"4.20.1\"}}\n");
    assertThat(noisy.release()).isEqualTo("4.20");

    OcMirrorVersion upstream = OcMirrorVersion.parse("{\"clientVersion\":{\"gitVersion\":\"v0.2.0-alpha.1-308-g2ab4d5c\"}}");
    assertThat(upstream.release()).as("an upstream build names no OpenShift release").isEqualTo("v0.2.0-alpha.1-308-g2ab4d5c");
    assertThat(upstream.atLeast(4, 18)).as("unknown releases are taken to be current").isTrue();

    assertThat(OcMirrorVersion.parse("oc-mirror: command not found")).isNull();
  }

  // --- 4.16's output ---

  static final String D2M_416_PROGRESS = """
      2025/06/02 10:11:12  [INFO]   : 👋 Hello, welcome to oc-mirror
      2025/06/02 10:11:12  [INFO]   : ⚙️  setting up the environment for you...
      2025/06/02 10:11:12  [INFO]   : 🔀 workflow mode: diskToMirror\s
      2025/06/02 10:11:12  [INFO]   : 📦 Extracting mirror archive(s)...
      2025/06/02 10:11:13  [INFO]   : 🕵  going to discover the necessary images...
      2025/06/02 10:11:13  [INFO]   : 🔍 collecting additional images...
      2025/06/02 10:11:13  [INFO]   : 🚀 Start copying the images...
      2025/06/02 10:11:13  [INFO]   : === Overall Progress -  image 1 / 3 ===
      2025/06/02 10:11:13  [INFO]   :  additional image 1 / 3
      2025/06/02 10:11:13  [INFO]   :  image: 127.0.0.1:5000/demo/alpha:v1
      2025/06/02 10:11:13  [INFO]   : =================================================
      2025/06/02 10:11:13  [ERROR]  : [Worker] error mirroring image 127.0.0.1:5000/demo/beta:v1 error: reading manifest v1 in localhost:55000/demo/beta: manifest unknown
      2025/06/02 10:11:13  [INFO]   : === Overall Progress -  image 2 / 3 (1 errors)===
      2025/06/02 10:11:13  [INFO]   :  additional image 2 / 3 (1 errors)
      2025/06/02 10:11:13  [INFO]   :  image: 127.0.0.1:5000/demo/beta:v1
      2025/06/02 10:11:13  [INFO]   : =================================================
      """;

  static final String D2M_416_END = """
      2025/06/02 10:11:14  [INFO]   : === Overall Progress -  image 3 / 3 (1 errors)===
      2025/06/02 10:11:14  [INFO]   :  additional image 3 / 3 (1 errors)
      2025/06/02 10:11:14  [INFO]   :  image: 127.0.0.1:5000/demo/gamma:v1
      2025/06/02 10:11:14  [INFO]   : =================================================
      2025/06/02 10:11:14  [INFO]   : === Results ===
      2025/06/02 10:11:14  [INFO]   : Images mirrored 2 / 3: Some additional images failed to mirror ❌ - please check the logs
      2025/06/02 10:11:14  [WARN]   : some errors occurred during the mirroring.
      2025/06/02 10:11:14  [WARN]   : \t Please review /srv/imports/g2/working-dir/logs/mirroring_errors_20250602_101114.txt for a list of mirroring errors.
      2025/06/02 10:11:14  [INFO]   : 📄 Generating cluster resources...
      2025/06/02 10:11:14  [INFO]   : /srv/imports/g2/working-dir/cluster-resources/itms-oc-mirror.yaml file created
      2025/06/02 10:11:14  [INFO]   : mirror time     : 1.53s
      2025/06/02 10:11:14  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
      """;

  @Test
  void a416RunInProgressTellsImagesDoneErrorsSoFarAndTheCurrentImage() {
    OcMirrorLog log = log(D2M_416_PROGRESS);
    assertThat(log.workflow()).isEqualTo(Workflow.DISK_TO_MIRROR);
    assertThat(log.imagesToCopy()).isEqualTo(3);
    assertThat(log.imagesDone()).isEqualTo(2);
    assertThat(log.imageErrors()).isEqualTo(1);
    assertThat(log.currentImage()).isEqualTo("127.0.0.1:5000/demo/beta:v1");
    assertThat(log.version()).as("4.16 prints no version line").isNull();
  }

  @Test
  void a416ImportThatLackedContentExitsZeroButIsIncompleteWithTheRecordedVersion() {
    OcMirrorLog log = log(D2M_416_PROGRESS + D2M_416_END);
    OcMirrorOutcome outcome = judge(Workflow.DISK_TO_MIRROR, log, List.of());
    assertThat(outcome.verdict()).isEqualTo(Verdict.INCOMPLETE_CONTENT);
    assertThat(outcome.counts()).containsEntry(ImageType.ADDITIONAL, new OcMirrorLog.Counts(2, 3));
    assertThat(outcome.ocMirrorVersion()).isEqualTo("4.16.0-202409051237.p0");
    assertThat(log.errorsFile()).isEqualTo("/srv/imports/g2/working-dir/logs/mirroring_errors_20250602_101114.txt");
    assertThat(outcome.failedImages()).singleElement().satisfies(failed -> {
      assertThat(failed.image()).isEqualTo("127.0.0.1:5000/demo/beta:v1");
      assertThat(failed.cause()).endsWith("manifest unknown");
    });
    assertThat(log.warnings()).anyMatch(warning -> warning.contains("some errors occurred during the mirroring"));
  }

  @Test
  void a416MirrorToDiskWithAMissingSourceWritesItsArchiveAnywayAndIsStillAFailure() {
    OcMirrorLog log = log("""
        2025/06/02 09:00:00  [INFO]   : 🔀 workflow mode: mirrorToDisk\s
        2025/06/02 09:00:00  [INFO]   : 🚀 Start copying the images...
        2025/06/02 09:00:01  [INFO]   : === Overall Progress -  image 1 / 3 ===
        2025/06/02 09:00:01  [INFO]   :  additional image 1 / 3
        2025/06/02 09:00:01  [INFO]   :  image: docker://127.0.0.1:5000/demo/alpha:v1
        2025/06/02 09:00:01  [ERROR]  : [Worker] error mirroring image docker://127.0.0.1:5000/demo/gone:v1 error: initializing source docker://127.0.0.1:5000/demo/gone:v1: reading manifest v1 in 127.0.0.1:5000/demo/gone: manifest unknown
        2025/06/02 09:00:02  [INFO]   : === Results ===
        2025/06/02 09:00:02  [INFO]   : Images mirrored 2 / 3: Some additional images failed to mirror ❌ - please check the logs
        2025/06/02 09:00:02  [INFO]   : 📦 Preparing the tarball archive...
        2025/06/02 09:00:03  [INFO]   : mirror time     : 3.1s
        2025/06/02 09:00:03  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
        """);
    assertThat(log.currentImage()).isEqualTo("127.0.0.1:5000/demo/alpha:v1");
    OcMirrorOutcome outcome = judge(Workflow.MIRROR_TO_DISK, log, List.of("mirror_000001.tar"));
    assertThat(outcome.verdict()).isEqualTo(Verdict.FAILED_IMAGES);
    assertThat(outcome.reasons()).first().asString().contains("although oc-mirror exited 0");
  }

  @Test
  void a416RunThatPassesReadsItsResults() {
    OcMirrorLog log = log("""
        2025/06/02 10:11:12  [INFO]   : 🔀 workflow mode: diskToMirror\s
        2025/06/02 10:11:13  [INFO]   : 🚀 Start copying the images...
        2025/06/02 10:11:13  [INFO]   : === Overall Progress -  image 2 / 2 ===
        2025/06/02 10:11:14  [INFO]   : === Results ===
        2025/06/02 10:11:14  [INFO]   : All additional images mirrored successfully 2 / 2 ✅
        2025/06/02 10:11:14  [INFO]   : All release images mirrored successfully 1 / 1 ✅
        2025/06/02 10:11:14  [INFO]   : mirror time     : 1.53s
        2025/06/02 10:11:14  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
        """);
    OcMirrorOutcome outcome = judge(Workflow.DISK_TO_MIRROR, log, List.of());
    assertThat(outcome.verdict()).isEqualTo(Verdict.SUCCEEDED);
    assertThat(outcome.counts()).containsEntry(ImageType.ADDITIONAL, new OcMirrorLog.Counts(2, 2))
        .containsEntry(ImageType.RELEASE, new OcMirrorLog.Counts(1, 1));
    assertThat(log.imagesDone()).isEqualTo(2);
  }

  @Test
  void aFirstImageRefusedByTheCacheRegistryIsTheStartUpRaceAndNothingElseIs() {
    String race = """
        2025/06/02 09:00:00  [INFO]   : 🚀 Start copying the images...
        2025/06/02 09:00:00  [ERROR]  : [Worker] error mirroring image docker://127.0.0.1:5000/demo/alpha:v1 error: writing blob: Patch "http://127.0.0.1:23456/v2/demo/alpha/blobs/uploads/x": dial tcp 127.0.0.1:23456: connect: connection refused
        2025/06/02 09:00:02  [INFO]   : Images mirrored 2 / 3: Some additional images failed to mirror ❌ - please check the logs
        2025/06/02 09:00:03  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
        """;
    OcMirrorOutcome outcome = judge(Workflow.MIRROR_TO_DISK, log(race), List.of("mirror_000001.tar"));
    assertThat(outcome.verdict()).isEqualTo(Verdict.FAILED_IMAGES);
    assertThat(outcome.cacheRegistryNotReady()).isTrue();

    String sourceDown = race.replace("dial tcp 127.0.0.1:23456: connect: connection refused",
        "dial tcp 10.1.2.3:443: connect: connection refused");
    assertThat(judge(Workflow.MIRROR_TO_DISK, log(sourceDown), List.of()).cacheRegistryNotReady()).isFalse();
  }

  // --- the current releases' progress ---

  @Test
  void theCurrentFormatCountsCopiedAndFailedImagesAsDone() {
    OcMirrorLog log = log("""
        2026/03/19 08:20:23  [INFO]   : 📌 images to copy 4\s
        2026/03/19 08:20:24  [INFO]   : Success copying 127.0.0.1:5000/demo/alpha:v1 ➡️ cache
        2026/03/19 08:20:24  [ERROR]  : Failed to copy additional image 127.0.0.1:5000/demo/beta:v1
        2026/03/19 08:20:24  [INFO]   : Success copying 127.0.0.1:5000/demo/gamma:v1 ➡️ cache
        """);
    assertThat(log.imagesToCopy()).isEqualTo(4);
    assertThat(log.imagesDone()).isEqualTo(3);
    assertThat(log.imageErrors()).isEqualTo(1);
    assertThat(log.currentImage()).isEqualTo("127.0.0.1:5000/demo/gamma:v1");
    assertThat(new OcMirrorProgress(new RunStatus(RunStatus.State.RUNNING, null), log.imagesToCopy(), log.imagesDone(),
        log.imageErrors(), log.currentImage(), "").summary())
        .isEqualTo("RUNNING: 3 of 4 images, 1 failed, last 127.0.0.1:5000/demo/gamma:v1");
  }

  // --- the flags a site sets ---

  @Test
  void flagsBecomeOneArgumentEachInAFixedOrder() {
    OcMirrorFlags flags = new OcMirrorFlags(false, true, 6, 8, 3, Duration.ofSeconds(90), Duration.ofMinutes(30), true,
        true, "/etc/ocmirror/policy.json", 2, "/etc/containers/registries.d", "/etc/ocmirror/auth.json");
    assertThat(flags.arguments()).containsExactly("--src-tls-verify=false", "--dest-tls-verify=true",
        "--parallel-images", "6", "--parallel-layers", "8", "--retry-times", "3", "--retry-delay", "1m30s",
        "--image-timeout", "30m0s", "--remove-signatures=true", "--secure-policy=true", "--policy", "/etc/ocmirror/policy.json",
        "--max-nested-paths", "2", "--registries.d", "/etc/containers/registries.d", "--authfile", "/etc/ocmirror/auth.json");
    assertThat(OcMirrorFlags.NONE.arguments()).isEmpty();
    assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("0.5s");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofHours(2))).isEqualTo("2h0m0s");
    assertThat(GoDuration.parse(GoDuration.format(Duration.ofSeconds(3725)))).isEqualTo(Duration.ofSeconds(3725));
  }

  @Test
  void aSitesOwnSettingWinsOverTheDefaultItFillsIn() {
    OcMirrorFlags site = new OcMirrorFlags(null, true, null, null, 2, null, null, null, null, null, null, null, null);
    OcMirrorFlags defaults = new OcMirrorFlags(false, false, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(site.orElse(defaults).arguments()).containsExactly("--src-tls-verify=false", "--dest-tls-verify=true",
        "--retry-times", "2");
  }

  @Test
  void flagsARe416DoesNotKnowAreNamedWithTheReleaseThatBroughtThem() {
    OcMirrorVersion v416 = new OcMirrorVersion("4.16.0-x", 4, 16);
    OcMirrorFlags parallel = new OcMirrorFlags(null, null, 4, 4, null, null, null, null, null, null, null, null, null);
    assertThat(parallel.unknownTo(v416)).containsExactly("--parallel-images (since 4.18)", "--parallel-layers (since 4.18)");
    assertThat(parallel.unknownTo(new OcMirrorVersion("4.18.3", 4, 18))).isEmpty();
    OcMirrorFlags tls = new OcMirrorFlags(false, false, null, null, 5, null, null, null, null, null, null, null, null);
    assertThat(tls.unknownTo(v416)).isEmpty();
    assertThatThrownBy(() -> GoDuration.format(Duration.ofSeconds(-1))).hasMessageContaining("negative");
  }
}
