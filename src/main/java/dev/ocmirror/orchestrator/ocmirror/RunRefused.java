package dev.ocmirror.orchestrator.ocmirror;

/**
 * A run the service refuses to start because it could only fail, for a reason no retry changes: a flag the
 * installed oc-mirror does not know, for example. Said before the run, not after hours of it.
 */
public class RunRefused extends RuntimeException {

  public RunRefused(String message) {
    super(message);
  }
}
