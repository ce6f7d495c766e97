package dev.ocmirror.orchestrator.remote;

/**
 * What a detached run is doing. {@code exitStatus} is set only for {@link State#EXITED}. LOST means the run's
 * process is gone without having recorded an exit status (the host rebooted, or it was killed from outside).
 */
public record RunStatus(State state, Integer exitStatus) {

  public enum State { STARTING, RUNNING, EXITED, CANCELLED, LOST }

  public boolean finished() {
    return state == State.EXITED || state == State.CANCELLED || state == State.LOST;
  }

  static RunStatus of(State state) {
    return new RunStatus(state, null);
  }

  static RunStatus exited(int status) {
    return new RunStatus(State.EXITED, status);
  }
}
