package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.integrity.Sha256;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.HostException;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import dev.ocmirror.orchestrator.transfer.MediaReport;
import dev.ocmirror.orchestrator.transfer.ReceiptVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies the media where the import host sees them: a valid signature by the configured key, the manifest the
 * service staged for this transfer, and every file's size and SHA-256. Any mismatch stops the import.
 */
public final class VerifyReceipt {

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final Transfers transfers;
  private final Controls controls;

  public VerifyReceipt(LifecycleProperties properties, Hosts hosts, Transfers transfers, Controls controls) {
    this.properties = properties;
    this.hosts = hosts;
    this.transfers = transfers;
    this.controls = controls;
  }

  public record Received(int files, long bytes) {
  }

  /**
   * Media whose seal was reported broken are not even looked at: what they hold cannot be trusted, whatever the
   * manifest says.
   */
  public static void refuseBrokenSeal(String transferId, boolean sealIntact) {
    if (!sealIntact) {
      throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The seal of the media of transfer " + transferId
          + " was reported broken at receipt; nothing was imported", "Reported by the operator who confirmed receipt.");
    }
  }

  public Received verify(String transferId) {
    Transfer transfer = transfers.get(transferId);
    LifecycleProperties.Enclave enclave = properties.enclave(transfer.enclave());
    String media = enclave.mediaDirectory(transferId);
    ReceiptVerifier.Receipt receipt;
    try (Host host = hosts.open(enclave.importHost())) {
      try {
        receipt = new ReceiptVerifier().verify(host, media, ManifestSignature.readPublicKey(properties.signing().publicKey()));
      } catch (HostException unreachable) {
        throw unreachable;
      } catch (RuntimeException unreadable) {
        throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The media of transfer " + transferId
            + " cannot be verified: " + unreadable.getMessage(), media + " on " + host.name());
      }
    }
    List<String> problems = new ArrayList<>();
    MediaReport report = receipt.report();
    if (report.signature() != MediaReport.SignatureState.VALID) {
      problems.add("signature " + report.signature() + ": the manifest was not signed by this service's key or was changed");
    }
    String manifestSha256 = Sha256.hex(receipt.manifestBytes());
    if (!manifestSha256.equals(transfer.manifestSha256())) {
      problems.add("the manifest on the media (sha256 " + manifestSha256 + ") is not the one staged for this transfer ("
          + transfer.manifestSha256() + ")");
    }
    if (!receipt.manifest().lineage().equals(transfer.lineageId())
        || !receipt.manifest().generations().equals(transfer.generations())
        || !receipt.manifest().enclave().equals(transfer.enclave())) {
      problems.add("the manifest is for enclave " + receipt.manifest().enclave() + ", generations "
          + receipt.manifest().generations() + " of " + receipt.manifest().lineage() + ", not what was approved");
    }
    report.problems().forEach(problem -> problems.add(problem.toString()));
    if (!problems.isEmpty()) {
      transfers.moveTo(transferId, TransferState.REJECTED_AT_RECEIPT);
      controls.records().recordCustody(new ControlRecords.CustodyEvent(transferId,
          ControlRecords.CustodyKind.VERIFICATION_FAILED, null, Instant.now(), manifestSha256, problems.size() + " problem(s)"));
      throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The media of transfer " + transferId + " failed "
          + "verification with " + problems.size() + " problem(s); nothing was imported", String.join("\n", problems));
    }
    transfers.moveTo(transferId, TransferState.RECEIVED);
    controls.records().recordCustody(new ControlRecords.CustodyEvent(transferId, ControlRecords.CustodyKind.VERIFIED, null,
        Instant.now(), manifestSha256, report.filesVerified() + " file(s), " + report.bytesVerified() + " bytes on " + media));
    return new Received(report.filesVerified(), report.bytesVerified());
  }
}
