package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome;
import dev.ocmirror.orchestrator.remote.DetachedRun;

/** Sorts a judged oc-mirror run into the three ways a process goes on. */
final class OutcomeVerdicts {

  private static final int LOG_TAIL = 8192;

  private OutcomeVerdicts() {
  }

  static RunVerdict of(OcMirrorOutcome outcome, DetachedRun run, OcMirrorStep.Purpose purpose,
      DecisionNeeded.Reason businessReason, RunVerdict.Results onSuccess) {
    String what = outcome.workflow() == null ? "oc-mirror" : outcome.workflow().logName() + (outcome.dryRun() ? " (dry run)" : "");
    String message = what + " " + outcome.verdict() + (outcome.exitStatus() == null ? "" : ", exit " + outcome.exitStatus())
        + ": " + String.join("; ", outcome.reasons());
    if (outcome.verdict() != OcMirrorOutcome.Verdict.SUCCEEDED && mentions(outcome, "no space left on device")) {
      // Retries cannot help a full disk, and an incident would hide what to do: a person makes space, then decides.
      return RunVerdict.decisionNeeded(businessReason, message + " (a disk the run writes to is full: make space on it,"
          + " then try again)", details(outcome, run));
    }
    if (outcome.verdict() == OcMirrorOutcome.Verdict.REJECTED && mentions(outcome, "is already bound and cannot be used")) {
      return RunVerdict.retrySoon(message + " (another process took the port; the next attempt picks another)",
          details(outcome, run));
    }
    if (outcome.cacheRegistryNotReady() && purpose.attempt() == 1) {
      return RunVerdict.retrySoon(message + " (tried once more: a second run normally passes)", details(outcome, run));
    }
    return switch (outcome.verdict()) {
      case SUCCEEDED -> RunVerdict.completed(onSuccess);
      case FAILED_IMAGES, INCOMPLETE_CONTENT, REJECTED -> RunVerdict.decisionNeeded(businessReason, message, details(outcome, run));
      case FAILED, CRASHED -> RunVerdict.technicalFault(message, details(outcome, run));
    };
  }

  /** Whether the run's reasons or errors say {@code words}, in any case: Go's errors are lower case, Java's not. */
  private static boolean mentions(OcMirrorOutcome outcome, String words) {
    return java.util.stream.Stream.concat(outcome.reasons().stream(), outcome.errors().stream())
        .anyMatch(line -> line.toLowerCase(java.util.Locale.ROOT).contains(words));
  }

  /** What an operator needs to act: failed images, the errors file, and the end of the log. */
  static String details(OcMirrorOutcome outcome, DetachedRun run) {
    StringBuilder text = new StringBuilder();
    outcome.reasons().forEach(reason -> text.append(reason).append('\n'));
    if (!outcome.failedImages().isEmpty()) {
      text.append("\nFailed images:\n");
      outcome.failedImages().forEach(image -> text.append("  ").append(image).append('\n'));
    }
    if (!outcome.errors().isEmpty()) {
      text.append("\nErrors file:\n");
      outcome.errors().forEach(line -> text.append("  ").append(line).append('\n'));
    }
    text.append("\nEnd of the log of run ").append(run.id()).append(":\n").append(run.tail(LOG_TAIL));
    return text.toString();
  }
}
