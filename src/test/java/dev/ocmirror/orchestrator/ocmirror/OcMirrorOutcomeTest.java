package dev.ocmirror.orchestrator.ocmirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome.Verdict;
import dev.ocmirror.orchestrator.remote.RunStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Judging runs from the log text oc-mirror really prints (contract sections 5 and 8). */
class OcMirrorOutcomeTest {

  private static final String ESC = "\u001B";

  private static OcMirrorLog log(String text) {
    OcMirrorLog log = new OcMirrorLog();
    text.lines().forEach(log::accept);
    return log;
  }

  private static OcMirrorOutcome judge(Workflow workflow, int exit, OcMirrorLog log, List<String> archives) {
    return OcMirrorOutcome.judge(workflow, false, new RunStatus(RunStatus.State.EXITED, exit), log, null, archives, List.of(),
        Duration.ofSeconds(3));
  }

  static final String M2D_SUCCESS = """
      2025/03/19 08:20:23  [INFO]   : 👋 Hello, welcome to oc-mirror
      2025/03/19 08:20:23  [INFO]   : ⚙️  environment version: 4.18.0-202503121435.p0.g0b5d2e0.assembly.stream.el9-0b5d2e0
      2025/03/19 08:20:23  [INFO]   : 🔀 workflow mode: mirrorToDisk\s
      2025/03/19 08:20:23  [INFO]   : 🕵  going to discover the necessary images...
      2025/03/19 08:20:23  [INFO]   : 🔍 collecting additional images...
      2025/03/19 08:20:23  [INFO]   : 🚀 Start copying the images...
      2025/03/19 08:20:23  [INFO]   : 📌 images to copy 3\s
      2025/03/19 08:20:24  [INFO]   : Success copying 127.0.0.1:5000/demo/alpha:v1 ➡️ cache
      2025/03/19 08:20:24  [INFO]   : Success copying 127.0.0.1:5000/demo/beta:v1 ➡️ cache
      2025/03/19 08:20:24  [INFO]   : Success copying 127.0.0.1:5000/demo/gamma:v1 ➡️ cache
      2025/03/19 08:20:24  [INFO]   : === Results ===
      2025/03/19 08:20:24  [INFO]   :  ✓  3 / 3 additional images mirrored successfully
      2025/03/19 08:20:24  [INFO]   : 📦 Preparing the tarball archive...
      2025/03/19 08:20:25  [INFO]   : mirror time     : 1m2.5s
      2025/03/19 08:20:25  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
      """;

  @Test
  void aCleanMirrorToDiskSucceedsWithCountsVersionAndTime() {
    OcMirrorOutcome outcome = judge(Workflow.MIRROR_TO_DISK, 0, log(M2D_SUCCESS), List.of("mirror_000001.tar"));
    assertThat(outcome.verdict()).isEqualTo(Verdict.SUCCEEDED);
    assertThat(outcome.workflow()).isEqualTo(Workflow.MIRROR_TO_DISK);
    assertThat(outcome.counts()).containsEntry(ImageType.ADDITIONAL, new OcMirrorLog.Counts(3, 3));
    assertThat(outcome.ocMirrorVersion()).startsWith("4.18.0-");
    assertThat(outcome.duration()).isEqualTo(Duration.ofMillis(62_500));
    assertThat(outcome.reasons()).isEmpty();
  }

  @Test
  void colouredOutputIsReadTheSameWay() {
    String coloured = M2D_SUCCESS.replace("[INFO]", ESC + "[0;32m[INFO]" + ESC + "[0m");
    OcMirrorLog log = log(coloured);
    assertThat(log.imagesToCopy()).isEqualTo(3);
    assertThat(log.imagesCopied()).isEqualTo(3);
    assertThat(judge(Workflow.MIRROR_TO_DISK, 0, log, List.of("mirror_000001.tar")).succeeded()).isTrue();
  }

  @Test
  void anOldReleaseThatExitsZeroWithFailedImagesIsNotASuccess() {
    OcMirrorLog log = log("""
        2025/03/19 08:20:23  [INFO]   : 🔀 workflow mode: diskToMirror\s
        2025/03/19 08:20:23  [INFO]   : 🚀 Start copying the images...
        2025/03/19 08:20:24  [ERROR]  : [Worker] error mirroring image 127.0.0.1:5000/demo/beta:v1 error: unauthorized: authentication required
        2025/03/19 08:20:24  [INFO]   : === Results ===
        2025/03/19 08:20:24  [INFO]   : ❌ 2 / 3 additional images mirrored: Some additional images failed to be mirrored - please check the logs
        2025/03/19 08:20:24  [ERROR]  : [Executor] [Worker] some errors occurred during the mirroring.
        2025/03/19 08:20:24  [ERROR]  : Please review /work/out/working-dir/logs/mirroring_errors_20250319_082024.txt for a list of mirroring errors.
        2025/03/19 08:20:25  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
        """);
    OcMirrorOutcome outcome = judge(Workflow.DISK_TO_MIRROR, 0, log, List.of());
    assertThat(outcome.verdict()).isEqualTo(Verdict.FAILED_IMAGES);
    assertThat(outcome.reasons()).singleElement().asString().contains("although oc-mirror exited 0");
    assertThat(outcome.failedImages()).containsExactly(
        new OcMirrorLog.FailedImage("127.0.0.1:5000/demo/beta:v1", "unauthorized: authentication required"));
    assertThat(log.errorsFile()).isEqualTo("/work/out/working-dir/logs/mirroring_errors_20250319_082024.txt");
  }

  @Test
  void aDifferentialArchiveOnAnEmptyCacheIsIncompleteContentNotAGenericFailure() {
    OcMirrorLog log = log("""
        2025/03/19 08:20:23  [INFO]   : 🔀 workflow mode: diskToMirror\s
        2025/03/19 08:20:23  [INFO]   : 🚀 Start copying the images...
        2025/03/19 08:20:24  [ERROR]  : Failed to copy generic 127.0.0.1:5000/demo/beta:v1
        2025/03/19 08:20:24  [INFO]   : === Results ===
        2025/03/19 08:20:24  [INFO]   :  ✗  0 / 3 additional images mirrored: Some additional images failed to be mirrored - please check the logs
        2025/03/19 08:20:25  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
        """);
    log.acceptErrorsFile("""
        error mirroring image 127.0.0.1:5000/demo/beta:v1 error: reading manifest v1 in localhost:55000/demo/beta: manifest unknown
        error mirroring image 127.0.0.1:5000/demo/gamma:v1 error: blob unknown to registry
        """);
    OcMirrorOutcome outcome = judge(Workflow.DISK_TO_MIRROR, 8, log, List.of());
    assertThat(outcome.verdict()).isEqualTo(Verdict.INCOMPLETE_CONTENT);
    assertThat(outcome.reasons()).singleElement().asString()
        .contains("cache lacks content").contains("manifest unknown").contains("1 more");
  }

  @Test
  void theMissingGraphImageOfAnIncompleteCacheIsIncompleteContent() {
    OcMirrorLog log = log("""
        2025/03/19 08:20:23  [INFO]   : 🔀 workflow mode: diskToMirror\s
        2025/03/19 08:20:23  [ERROR]  : [ReleaseImageCollector]  error processing graph image in local cache: reading manifest latest in localhost:55000/openshift/graph-image: manifest unknown
        2025/03/19 08:20:23  [INFO]   : 👋 Goodbye, thank you for using oc-mirror
        """);
    assertThat(judge(Workflow.DISK_TO_MIRROR, 2, log, List.of()).verdict()).isEqualTo(Verdict.INCOMPLETE_CONTENT);
  }

  @Test
  void aRefusedConfigurationIsRejectedBeforeAnyMirroring() {
    OcMirrorLog log = log("""
        2025/03/19 08:20:23  [INFO]   : 👋 Hello, welcome to oc-mirror
        2025/03/19 08:20:23  [ERROR]  : decode ImageSetConfiguration: json: unknown field "storageConfig"
        """);
    OcMirrorOutcome outcome = judge(Workflow.MIRROR_TO_DISK, 1, log, List.of());
    assertThat(outcome.verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(outcome.reasons()).singleElement().asString().contains("storageConfig");
  }

  @Test
  void aMirrorToDiskWithoutArchiveIsAFailure() {
    OcMirrorOutcome outcome = judge(Workflow.MIRROR_TO_DISK, 0, log(M2D_SUCCESS), List.of());
    assertThat(outcome.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(outcome.reasons()).singleElement().asString().contains("without writing any mirror_*.tar");
  }

  @Test
  void aRunThatDiedIsCrashed() {
    OcMirrorLog log = log(M2D_SUCCESS.lines().limit(8).reduce("", (a, b) -> a + b + "\n"));
    OcMirrorOutcome lost = OcMirrorOutcome.judge(Workflow.MIRROR_TO_DISK, false, new RunStatus(RunStatus.State.LOST, null),
        log, null, List.of(), List.of(), Duration.ofMinutes(5));
    assertThat(lost.verdict()).isEqualTo(Verdict.CRASHED);
    assertThat(judge(Workflow.MIRROR_TO_DISK, 137, log, List.of()).verdict()).isEqualTo(Verdict.CRASHED);
  }

  @Test
  void exitBitsNameTheFailedImageTypes() {
    assertThat(ImageType.inExitStatus(20)).containsExactlyInAnyOrder(ImageType.OPERATOR, ImageType.HELM);
    assertThat(ImageType.inExitStatus(1)).isEmpty();
    assertThat(ImageType.inExitStatus(255)).isEmpty();
  }

  @Test
  void readsGoDurations() {
    assertThat(GoDuration.parse("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
    assertThat(GoDuration.parse("850ms")).isEqualTo(Duration.ofMillis(850));
    assertThat(GoDuration.parse("12µs")).isEqualTo(Duration.ofNanos(12_000));
    assertThat(GoDuration.parse("soon")).isNull();
  }
}
