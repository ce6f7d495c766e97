package dev.ocmirror.orchestrator.transfer;

import java.util.List;

/** The verdict on a media directory against its transfer manifest. */
public record MediaReport(SignatureState signature, List<Problem> problems, int filesVerified, long bytesVerified) {

  public enum SignatureState { VALID, BAD, MISSING }

  public enum Kind { MISSING, EXTRA, TRUNCATED, SIZE_MISMATCH, ALTERED, NOT_A_FILE }

  public record Problem(Kind kind, String path, String detail) {
    @Override
    public String toString() {
      return kind + " " + path + (detail == null ? "" : ": " + detail);
    }
  }

  public MediaReport {
    problems = List.copyOf(problems);
  }

  /** All is well: the signature verifies and every file is present, complete and unaltered, nothing extra. */
  public boolean ok() {
    return signature == SignatureState.VALID && problems.isEmpty();
  }
}
