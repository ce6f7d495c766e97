package dev.ocmirror.orchestrator.lifecycle;

import java.time.Duration;
import java.util.Map;

/**
 * How a finished oc-mirror run continues the process: completed with variables, a business outcome for a person
 * to decide, or a technical fault for retries and, when they are used up, an incident carrying the details.
 */
public record RunVerdict(Kind kind, Map<String, Object> variables, DecisionNeeded.Reason reason, String message,
    String details, Duration retryAfter) {

  private static final Duration DEFAULT_RETRY = Duration.ofMinutes(1);

  public enum Kind { COMPLETED, DECISION_NEEDED, TECHNICAL_FAULT }

  public static RunVerdict completed(Map<String, Object> variables) {
    return new RunVerdict(Kind.COMPLETED, Map.copyOf(variables), null, null, null, null);
  }

  public static RunVerdict decisionNeeded(DecisionNeeded.Reason reason, String message, String details) {
    return new RunVerdict(Kind.DECISION_NEEDED, Map.of(), reason, message, details, null);
  }

  public static RunVerdict technicalFault(String message, String details) {
    return new RunVerdict(Kind.TECHNICAL_FAULT, Map.of(), null, message, details, DEFAULT_RETRY);
  }

  /** A fault that the next attempt (a new run id, a new port) avoids at once. */
  public static RunVerdict retrySoon(String message, String details) {
    return new RunVerdict(Kind.TECHNICAL_FAULT, Map.of(), null, message, details, Duration.ofSeconds(2));
  }
}
