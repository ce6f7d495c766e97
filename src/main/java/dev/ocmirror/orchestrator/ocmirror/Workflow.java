package dev.ocmirror.orchestrator.ocmirror;

/** oc-mirror's workflow modes, as it names them in its log. */
public enum Workflow {
  MIRROR_TO_DISK("mirrorToDisk"),
  DISK_TO_MIRROR("diskToMirror"),
  MIRROR_TO_MIRROR("mirrorToMirror");

  private final String logName;

  Workflow(String logName) {
    this.logName = logName;
  }

  public String logName() {
    return logName;
  }

  static Workflow fromLogName(String name) {
    for (Workflow workflow : values()) {
      if (workflow.logName.equals(name)) {
        return workflow;
      }
    }
    return null;
  }
}
