package dev.ocmirror.orchestrator.airgap;

/** A site report the service does not record, with the one sentence that says why. */
public class SiteReportRefused extends RuntimeException {

  public SiteReportRefused(String message) {
    super(message);
  }
}
