package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;

/** The transfer is done: the enclave's ledger state now includes every carried generation. */
public final class CloseTransfer {

  private final Transfers transfers;
  private final Controls controls;

  public CloseTransfer(Transfers transfers, Controls controls) {
    this.transfers = transfers;
    this.controls = controls;
  }

  public void close(String transferId) {
    controls.requireImportedToClose(transfers.get(transferId));
    transfers.moveTo(transferId, TransferState.IMPORTED);
  }
}
