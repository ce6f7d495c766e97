package dev.ocmirror.orchestrator.remote;

import java.time.Duration;

/**
 * How a command ended. {@code exitStatus} is null when it did not end by itself (time limit, cancellation,
 * or a connection lost before the status arrived).
 */
public record CommandResult(Integer exitStatus, Ending ending, Duration duration) {

  public enum Ending { EXITED, TIMED_OUT, CANCELLED, CONNECTION_LOST }

  public boolean succeeded() {
    return ending == Ending.EXITED && exitStatus != null && exitStatus == 0;
  }
}
