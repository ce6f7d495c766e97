package dev.ocmirror.orchestrator.ledger;

/** Where a transfer stands, as the ledger records it. */
public enum TransferState {
  /** Planned, waiting for a change manager's decision. */
  PLANNED,
  /** A change manager rejected the plan. */
  REJECTED,
  /** The approved generations are on the media with a signed manifest. */
  STAGED,
  /** The media were verified where the import host mounts them. */
  RECEIVED,
  /** The media failed verification at receipt; nothing was imported. */
  REJECTED_AT_RECEIPT,
  /** Every carried generation was imported: the enclave's state advanced. */
  IMPORTED,
  /** A receiving station refused the media (prerequisites missing, media rejected) or failed to import them. */
  REFUSED_AT_STATION,
  /** An operator gave the transfer up. */
  ABANDONED
}
