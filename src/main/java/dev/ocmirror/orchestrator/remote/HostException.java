package dev.ocmirror.orchestrator.remote;

/** A host could not be reached or refused an operation; the message names the host and what was attempted. */
public class HostException extends RuntimeException {

  public HostException(String message) {
    super(message);
  }

  public HostException(String message, Throwable cause) {
    super(message, cause);
  }
}
