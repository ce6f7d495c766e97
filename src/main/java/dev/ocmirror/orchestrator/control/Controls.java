package dev.ocmirror.orchestrator.control;

import dev.ocmirror.orchestrator.integrity.Sha256;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.Transfer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lifecycle's guarantees, checked where their effect happens and from the service's own records only: no
 * media are staged without an approval of exactly this plan by someone other than its requester; nothing is
 * imported without a receipt confirmed by someone other than the sender and media verified against the manifest
 * staged for this transfer; no transfer closes before every carried generation was imported; no rollback is
 * applied without its own approval. Whatever path led to the step (Tasklist, REST, an administrator moving a
 * token), a missing record refuses it.
 */
public final class Controls {

  private final ControlRecords records;
  private final Enclaves enclaves;

  public Controls(ControlRecords records, Enclaves enclaves) {
    this.records = records;
    this.enclaves = enclaves;
  }

  public ControlRecords records() {
    return records;
  }

  /** What a change manager approves of a transfer: its plan as the ledger holds it. */
  public static String planDigest(Transfer transfer) {
    return digest("transfer", transfer.id(), transfer.lifecycleId(), transfer.enclave(), transfer.lineageId(),
        String.valueOf(transfer.target()), transfer.generations().toString(), String.valueOf(transfer.bytes()));
  }

  /** What a receiving station's change manager approves: these media, for these generations, into this enclave. */
  public static String stationImportDigest(Transfer transfer) {
    return digest("station-import", transfer.id(), transfer.lifecycleId(), transfer.enclave(), transfer.lineageId(),
        transfer.generations().toString(), String.valueOf(transfer.manifestSha256()), String.valueOf(transfer.mediaPath()));
  }

  /**
   * On a receiving station, before anything is imported: the media at the recorded path were verified against their
   * signed manifest, and (where the station asks for it) a change manager other than whoever received them approved
   * exactly this import.
   */
  public void requireStationImport(Transfer transfer, boolean approvalRequired) {
    String what = "the media of transfer " + transfer.id();
    boolean verified = false;
    for (ControlRecords.CustodyEvent event : records.custody(transfer.id())) {
      if (event.kind() == ControlRecords.CustodyKind.VERIFIED) {
        verified = Objects.equals(event.manifestSha256(), transfer.manifestSha256());
      } else if (event.kind() == ControlRecords.CustodyKind.VERIFICATION_FAILED
          || event.kind() == ControlRecords.CustodyKind.RECEIVED) {
        verified = false;
      }
    }
    if (!verified) {
      throw new ControlRefused("The station has not verified " + what + " against their signed manifest, so nothing is"
          + " imported.");
    }
    if (!approvalRequired) {
      return;
    }
    ControlRecords.Approval approval = records.latestApproval(transfer.id()).orElseThrow(() -> new ControlRefused(
        "No change manager of the station has approved the import of " + what + ", so nothing is imported."));
    if (!approval.approved()) {
      throw new ControlRefused("The import of " + what + " was rejected by " + approval.decidedBy() + ", so nothing is"
          + " imported.");
    }
    if (!approval.subjectSha256().equals(stationImportDigest(transfer))) {
      throw new ControlRefused("The import of " + what + " was approved for other media or generations than these, so"
          + " nothing is imported.");
    }
    String receiver = requestOf(transfer.lifecycleId()).requestedBy();
    if (approval.decidedBy().equals(receiver)) {
      throw new ControlRefused("The import of " + what + " was approved by " + receiver + ", who received them; another"
          + " change manager must approve it, so nothing is imported.");
    }
  }

  /** What a change manager approves of a rollback: which enclave goes back to which generation. */
  public static String rollbackDigest(String rollbackId, String enclave, String lineage, int generation) {
    return digest("rollback", rollbackId, enclave, lineage, String.valueOf(generation));
  }

  private static String digest(String... parts) {
    return Sha256.hex(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
  }

  /** The requester of a lifecycle as recorded when it started; refuses a lifecycle that has no such record. */
  public ControlRecords.Request requestOf(String lifecycleId) {
    return records.request(lifecycleId == null ? "" : lifecycleId).orElseThrow(() -> new ControlRefused("Lifecycle "
        + lifecycleId + " was not started through its start event, so there is no record of who requested it and "
        + "nothing of it can be approved or carried out; start a new one."));
  }

  public void requireApprovalToStage(Transfer transfer) {
    ControlRecords.Approval approval = records.latestApproval(transfer.id()).orElseThrow(() -> new ControlRefused(
        "No change manager has approved transfer " + transfer.id() + ", so its media are not staged."));
    if (!approval.approved()) {
      throw new ControlRefused("Transfer " + transfer.id() + " was rejected by " + approval.decidedBy()
          + ", so its media are not staged.");
    }
    if (!approval.subjectSha256().equals(planDigest(transfer))) {
      throw new ControlRefused("The approval of transfer " + transfer.id() + " was given for another plan than the one "
          + "the ledger holds, so its media are not staged.");
    }
    String requester = requestOf(transfer.lifecycleId()).requestedBy();
    if (approval.decidedBy().equals(requester)) {
      throw new ControlRefused("Transfer " + transfer.id() + " was approved by " + requester + ", who requested it; "
          + "another change manager must approve it before its media are staged.");
    }
  }

  /**
   * Before anything is imported: the media staged last for this transfer were handed over, their receipt was
   * confirmed with the seal intact by someone other than the sender (unless the enclave allows the sender), and
   * they were verified against the manifest the service staged.
   */
  public void requireVerifiedReceiptToImport(Transfer transfer, boolean senderMayReceive) {
    String staged = null;
    String handedOverBy = null;
    ControlRecords.CustodyEvent received = null;
    boolean verified = false;
    for (ControlRecords.CustodyEvent event : records.custody(transfer.id())) {
      switch (event.kind()) {
        case STAGED -> {
          staged = event.manifestSha256();
          handedOverBy = null;
          received = null;
          verified = false;
        }
        case HANDED_OVER -> {
          if (staged != null) {
            handedOverBy = event.actor();
            received = null;
            verified = false;
          }
        }
        case RECEIVED, SEAL_BROKEN -> {
          if (handedOverBy != null) {
            received = event;
            verified = false;
          }
        }
        case VERIFIED -> verified = received != null && received.kind() == ControlRecords.CustodyKind.RECEIVED
            && Objects.equals(event.manifestSha256(), staged);
        case VERIFICATION_FAILED -> verified = false;
      }
    }
    String what = "transfer " + transfer.id();
    if (staged == null || !staged.equals(transfer.manifestSha256())) {
      throw new ControlRefused("No media staged by the service for " + what + " are on record, so nothing is imported.");
    }
    if (handedOverBy == null) {
      throw new ControlRefused("The media of " + what + " were not handed over, so nothing is imported.");
    }
    if (received == null) {
      throw new ControlRefused("Nobody confirmed the receipt of the media of " + what + ", so nothing is imported.");
    }
    if (received.kind() == ControlRecords.CustodyKind.SEAL_BROKEN) {
      throw new ControlRefused("The seal of the media of " + what + " was reported broken, so nothing is imported.");
    }
    if (!senderMayReceive && Objects.equals(received.actor(), handedOverBy)) {
      throw new ControlRefused("The receipt of " + what + " was confirmed by " + handedOverBy + ", who handed the media over;"
          + " another operator must confirm it, so nothing is imported.");
    }
    if (!verified) {
      throw new ControlRefused("The media of " + what + " were not verified against their manifest after their receipt, "
          + "so nothing is imported.");
    }
  }

  /** Closing moves the enclave's state on: every carried generation must have been imported since the plan. */
  public void requireImportedToClose(Transfer transfer) {
    Set<Integer> imported = enclaves.importedSince(transfer.enclave(), transfer.lineageId(), transfer.createdAt());
    Set<Integer> missing = new TreeSet<>(transfer.generations());
    missing.removeAll(imported);
    if (!missing.isEmpty()) {
      throw new ControlRefused("Generation(s) " + missing + " of transfer " + transfer.id() + " were not imported into "
          + transfer.enclave() + ", so the transfer is not closed and the enclave's state stays as it was.");
    }
  }

  public void requireApprovalToRollBack(String rollbackId, String enclave, String lineage, int generation) {
    ControlRecords.Approval approval = records.latestApproval(rollbackId).orElseThrow(() -> new ControlRefused(
        "No change manager has approved rollback " + rollbackId + ", so nothing is applied."));
    if (!approval.approved()) {
      throw new ControlRefused("Rollback " + rollbackId + " was rejected by " + approval.decidedBy()
          + ", so nothing is applied.");
    }
    if (!approval.subjectSha256().equals(rollbackDigest(rollbackId, enclave, lineage, generation))) {
      throw new ControlRefused("Rollback " + rollbackId + " was approved for another generation or enclave than the one "
          + "it would apply now, so nothing is applied.");
    }
    String requester = requestOf(rollbackId).requestedBy();
    if (approval.decidedBy().equals(requester)) {
      throw new ControlRefused("Rollback " + rollbackId + " was approved by " + requester + ", who requested it; another "
          + "change manager must approve it.");
    }
  }
}
