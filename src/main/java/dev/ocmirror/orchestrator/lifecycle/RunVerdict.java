package dev.ocmirror.orchestrator.lifecycle;

import java.time.Duration;

/**
 * How a finished oc-mirror run continues the process: completed with its results, a business outcome for a person
 * to decide, or a technical fault for retries and, when they are used up, an incident carrying the details.
 */
public record RunVerdict(Kind kind, Results results, DecisionNeeded.Reason reason, String message, String details,
    Duration retryAfter) {

  private static final Duration DEFAULT_RETRY = Duration.ofMinutes(1);

  public enum Kind { COMPLETED, DECISION_NEEDED, TECHNICAL_FAULT }

  /**
   * What a run found, whatever the step; a field a step does not report is null.
   *
   * @param ocMirrorVersion the version oc-mirror reported, {@code unknown} when it reported none
   * @param imagesMissingFromCache of a dry run: images the cache lacks, which the run will fetch
   */
  public record Results(String ocMirrorVersion, Integer imagesPlanned, Integer imagesMissingFromCache,
      Integer archivesWritten, Integer lastImportedGeneration) {

    public static Results none() {
      return new Results(null, null, null, null, null);
    }
  }

  public static RunVerdict completed(Results results) {
    return new RunVerdict(Kind.COMPLETED, results, null, null, null, null);
  }

  public static RunVerdict decisionNeeded(DecisionNeeded.Reason reason, String message, String details) {
    return new RunVerdict(Kind.DECISION_NEEDED, Results.none(), reason, message, details, null);
  }

  public static RunVerdict technicalFault(String message, String details) {
    return new RunVerdict(Kind.TECHNICAL_FAULT, Results.none(), null, message, details, DEFAULT_RETRY);
  }

  /** A fault that the next attempt (a new run id, a new port) avoids at once. */
  public static RunVerdict retrySoon(String message, String details) {
    return new RunVerdict(Kind.TECHNICAL_FAULT, Results.none(), null, message, details, Duration.ofSeconds(2));
  }
}
