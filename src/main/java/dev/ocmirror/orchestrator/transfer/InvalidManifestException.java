package dev.ocmirror.orchestrator.transfer;

/** A transfer manifest that cannot be trusted as a list of what to check. */
public class InvalidManifestException extends RuntimeException {

  public InvalidManifestException(String message) {
    super(message);
  }
}
