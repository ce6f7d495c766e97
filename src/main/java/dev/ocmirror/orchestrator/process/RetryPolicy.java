package dev.ocmirror.orchestrator.process;

import java.time.Duration;

/**
 * The one retry policy of the service: a failing step is tried three times a minute apart, then it is an incident.
 * The engine applies it to every job (no model sets its own) and the oc-mirror worker to its external tasks.
 */
final class RetryPolicy {

  static final int ATTEMPTS = 3;
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private RetryPolicy() {
  }

  /** The engine's form of the policy, an ISO-8601 repeating interval. */
  static String timeCycle() {
    return "R" + ATTEMPTS + "/" + INTERVAL;
  }
}
