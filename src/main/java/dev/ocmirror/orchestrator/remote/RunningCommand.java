package dev.ocmirror.orchestrator.remote;

import java.time.Duration;

/** A command that has been started on a host and not yet awaited. */
public interface RunningCommand {

  /** Waits at most {@code limit}; past it the command is stopped and the result says TIMED_OUT. */
  CommandResult await(Duration limit);

  /** Stops the command (and, locally, its children). Safe to call more than once or after it ended. */
  void cancel();
}
