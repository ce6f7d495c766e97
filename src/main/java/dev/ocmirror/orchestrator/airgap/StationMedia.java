package dev.ocmirror.orchestrator.airgap;

import dev.ocmirror.orchestrator.integrity.Sha256;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.transfer.TransferManifest;

/** The manifest of media a station received, read again where they lie and held to what the station verified. */
final class StationMedia {

  private static final int MAX_MANIFEST = 16 << 20;

  private StationMedia() {
  }

  static TransferManifest manifest(Host host, Transfer transfer) {
    byte[] bytes = host.read(transfer.mediaPath() + "/" + TransferManifest.FILE_NAME, MAX_MANIFEST);
    if (!Sha256.hex(bytes).equals(transfer.manifestSha256())) {
      throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The manifest at " + transfer.mediaPath()
          + " is no longer the one the station verified; nothing is imported", "Verify the media again.");
    }
    return TransferManifest.parse(bytes);
  }
}
