package dev.ocmirror.orchestrator.airgap;

import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.transfer.ReceiptVerifier;
import dev.ocmirror.orchestrator.transfer.TransferManifest;

/** The manifest of media a station received, read again where they lie and held to what the station verified. */
final class StationMedia {

  private StationMedia() {
  }

  static TransferManifest manifest(Host host, Transfer transfer) {
    return ReceiptVerifier.manifestAsVerified(host, transfer.mediaPath(), transfer.manifestSha256())
        .orElseThrow(() -> new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The manifest at "
            + transfer.mediaPath() + " is no longer the one the station verified; nothing is imported",
            "Verify the media again."));
  }
}
