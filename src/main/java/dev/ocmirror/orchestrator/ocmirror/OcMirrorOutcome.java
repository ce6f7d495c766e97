package dev.ocmirror.orchestrator.ocmirror;

import dev.ocmirror.orchestrator.remote.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one judgement of an oc-mirror run. It never trusts the exit status alone: 4.17 exits 0 with every
 * image failed, newer releases set bits; the Results lines, the errors file, the archives and the
 * cluster-resources tell the rest (contract sections 5 and 8).
 */
public record OcMirrorOutcome(
    Verdict verdict,
    Workflow workflow,
    boolean dryRun,
    Integer exitStatus,
    String ocMirrorVersion,
    Map<ImageType, OcMirrorLog.Counts> counts,
    List<OcMirrorLog.FailedImage> failedImages,
    List<String> errors,
    List<String> reasons,
    Duration duration,
    List<String> archives,
    List<String> clusterResources,
    boolean cacheRegistryNotReady) {

  public enum Verdict {
    /** Every image mirrored, and what the workflow must leave behind is there. */
    SUCCEEDED,
    /** Some images failed for their own reasons (source missing, network, registry); a retry may help. */
    FAILED_IMAGES,
    /** diskToMirror lacked content that earlier archives should have brought: the cache is behind. */
    INCOMPLETE_CONTENT,
    /** oc-mirror refused the command line or the configuration before mirroring anything. */
    REJECTED,
    /** oc-mirror failed for another reason after it had started work. */
    FAILED,
    /** The process died without finishing (killed, host rebooted, crashed). */
    CRASHED
  }

  public boolean succeeded() {
    return verdict == Verdict.SUCCEEDED;
  }

  private static final List<String> MISSING_CONTENT_MARKERS = List.of(
      "manifest unknown", "blob unknown", "error processing graph image in local cache");
  private static final java.util.regex.Pattern LOOPBACK_REFUSED = java.util.regex.Pattern.compile(
      "dial tcp (127\\.0\\.0\\.1|localhost|\\[::1\\]):\\d+: connect: connection refused");

  /**
   * Judges a finished run.
   *
   * @param recordedVersion the version the binary reported when the run started; the log's own version line (which
   *     4.16 does not print) only when none was recorded
   * @param archives the {@code mirror_NNNNNN.tar} files the run left (m2d), by name
   * @param clusterResources the files in {@code working-dir/cluster-resources} after the run (d2m, m2m)
   */
  public static OcMirrorOutcome judge(Workflow requested, boolean dryRun, RunStatus status, OcMirrorLog log,
      String recordedVersion, List<String> archives, List<String> clusterResources, Duration elapsed) {
    Integer exit = status.state() == RunStatus.State.EXITED ? status.exitStatus() : null;
    Workflow workflow = log.workflow() != null ? log.workflow() : requested;
    List<String> reasons = new ArrayList<>();
    Verdict verdict = decide(requested, dryRun, status, exit, log, archives, reasons);
    boolean notReady = verdict == Verdict.FAILED_IMAGES && !log.failures().isEmpty() && log.failures().stream()
        .allMatch(failed -> failed.cause() != null && LOOPBACK_REFUSED.matcher(failed.cause()).find());
    if (notReady) {
      reasons.add("oc-mirror began copying before its own cache registry listened (a start-up race of some releases)");
    }
    return new OcMirrorOutcome(verdict, workflow, dryRun, exit, recordedVersion != null ? recordedVersion : log.version(),
        log.results(), log.failures(), log.errors(), List.copyOf(reasons),
        log.mirrorTime() != null ? log.mirrorTime() : elapsed, List.copyOf(archives), List.copyOf(clusterResources),
        notReady);
  }

  private static Verdict decide(Workflow requested, boolean dryRun, RunStatus status, Integer exit, OcMirrorLog log,
      List<String> archives, List<String> reasons) {
    if (status.state() == RunStatus.State.CANCELLED) {
      reasons.add("the run was cancelled");
      return Verdict.CRASHED;
    }
    if (exit == null) {
      reasons.add("the oc-mirror process ended without an exit status (" + status.state().name().toLowerCase(Locale.ROOT) + ")");
      return Verdict.CRASHED;
    }
    if (exit == 255 && !log.copyingStarted()) {
      reasons.add("oc-mirror stopped at start (exit 255): the --v2 flag or another start-up requirement is missing");
      return Verdict.REJECTED;
    }
    if (exit >= 128) {
      reasons.add("oc-mirror was killed by signal " + (exit - 128));
      return Verdict.CRASHED;
    }

    List<String> missingContent = new ArrayList<>();
    for (OcMirrorLog.FailedImage failed : log.failures()) {
      if (failed.cause() != null && mentionsMissingContent(failed.cause())) {
        missingContent.add(failed.image() + ": " + failed.cause());
      }
    }
    for (String error : log.errors()) {
      if (mentionsMissingContent(error)) {
        missingContent.add(error);
      }
    }
    if (!missingContent.isEmpty() && requested != Workflow.MIRROR_TO_DISK) {
      reasons.add("the oc-mirror cache lacks content of earlier archives: " + missingContent.get(0)
          + (missingContent.size() > 1 ? " (and " + (missingContent.size() - 1) + " more)" : ""));
      return Verdict.INCOMPLETE_CONTENT;
    }

    boolean resultsIncomplete = log.results().values().stream().anyMatch(c -> !c.complete());
    Set<ImageType> failedTypes = ImageType.inExitStatus(exit);
    if (resultsIncomplete || !log.failures().isEmpty() || log.errorsFile() != null || !failedTypes.isEmpty()) {
      long failed = log.results().values().stream().mapToLong(c -> c.total() - c.mirrored()).sum();
      reasons.add(Math.max(failed, log.failures().size()) + " image(s) failed to mirror"
          + (exit == 0 ? " although oc-mirror exited 0" : " (exit " + exit + ")"));
      return Verdict.FAILED_IMAGES;
    }
    if (exit != 0) {
      String last = log.errors().isEmpty() ? "no error line" : log.errors().get(log.errors().size() - 1);
      reasons.add("oc-mirror exited " + exit + ": " + last);
      return log.copyingStarted() ? Verdict.FAILED : Verdict.REJECTED;
    }
    if (!log.goodbye()) {
      reasons.add("oc-mirror exited 0 without its closing line; its output is incomplete");
      return Verdict.FAILED;
    }
    if (requested == Workflow.MIRROR_TO_DISK && !dryRun && archives.isEmpty()) {
      reasons.add("mirrorToDisk ended without writing any mirror_*.tar archive");
      return Verdict.FAILED;
    }
    return Verdict.SUCCEEDED;
  }

  private static boolean mentionsMissingContent(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return MISSING_CONTENT_MARKERS.stream().anyMatch(lower::contains);
  }
}
