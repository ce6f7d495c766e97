package dev.ocmirror.orchestrator.ledger;

/** The ledger refuses what would make its record wrong: a generation out of sequence, another lineage's archive. */
public class LedgerException extends RuntimeException {

  public LedgerException(String message) {
    super(message);
  }
}
