package dev.ocmirror.orchestrator.lifecycle;

/**
 * A business outcome that a person must decide on (retry, abandon, take a new baseline), as opposed to a
 * technical fault that retries and incidents handle. The process turns it into a BPMN error with this code.
 */
public class DecisionNeeded extends RuntimeException {

  /** The error codes the process models catch. */
  public enum Reason {
    CONFIGURATION_INVALID,
    NO_BASELINE,
    MIRROR_FAILED,
    MEDIA_REJECTED,
    IMPORT_FAILED,
    IMAGES_MISSING,
    NOTHING_TO_ROLL_BACK,
    /** A receiving station's cache lacks what the media build on: nothing is imported. */
    PREREQUISITES_MISSING
  }

  private final Reason reason;
  private final String details;

  public DecisionNeeded(Reason reason, String summary, String details) {
    super(summary);
    this.reason = reason;
    this.details = details == null ? "" : details;
  }

  public Reason reason() {
    return reason;
  }

  /** What the person needs beyond the summary: the problems, the log tail, the errors file. */
  public String details() {
    return details;
  }
}
