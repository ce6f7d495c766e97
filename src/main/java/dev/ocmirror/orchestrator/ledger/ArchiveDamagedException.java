package dev.ocmirror.orchestrator.ledger;

/** An archive file is not what oc-mirror wrote: truncated, altered, or not a tar at all. Names file and entry. */
public class ArchiveDamagedException extends RuntimeException {

  private final String file;

  public ArchiveDamagedException(String file, String message) {
    super(file + ": " + message);
    this.file = file;
  }

  public ArchiveDamagedException(String file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  public String file() {
    return file;
  }
}
