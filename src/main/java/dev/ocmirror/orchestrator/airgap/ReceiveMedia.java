package dev.ocmirror.orchestrator.airgap;

import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.integrity.Sha256;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.Hosts;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.HostException;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import dev.ocmirror.orchestrator.transfer.MediaReport;
import dev.ocmirror.orchestrator.transfer.ReceiptVerifier;
import dev.ocmirror.orchestrator.transfer.TransferManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A receiving station takes media in: the manifest must be signed by the connected side's key and meant for this
 * station's enclave, and every file must be there with its size and SHA-256, checked where the import host sees
 * them. Only then are they on record as received, under the transfer the connected side named.
 */
public final class ReceiveMedia {

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final Generations generations;
  private final Transfers transfers;
  private final Controls controls;

  public ReceiveMedia(LifecycleProperties properties, Hosts hosts, Generations generations, Transfers transfers,
      Controls controls) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.transfers = transfers;
    this.controls = controls;
  }

  private void record(TransferManifest manifest, String enclave, TransferState state, long bytes, String manifestSha256,
      String lifecycleId, String mediaPath) {
    if (!generations.lineageExists(manifest.lineage())) {
      generations.createLineage(manifest.lineage(), manifest.createdBy(), Instant.now());
    }
    int target = manifest.generations().stream().mapToInt(Integer::intValue).max().orElseThrow();
    transfers.record(new Transfer(manifest.transferId(), enclave, manifest.lineage(), target, manifest.generations(), bytes,
        manifestSha256, state, Instant.now(), manifest.createdBy(), lifecycleId,
        manifest.prerequisites() == null ? null : manifest.prerequisites().sequence(), mediaPath));
  }

  public record Received(String transferId, String lineage, List<Integer> generations, int files, long bytes) {
  }

  /**
   * @param lifecycleId the station's process instance that received the media
   * @param receivedBy the station operator who brought them in
   */
  public Received receive(String mediaPath, String lifecycleId, String receivedBy) {
    LifecycleProperties.Station station = properties.station();
    LifecycleProperties.Enclave enclave = properties.enclave(station.enclave());
    ReceiptVerifier.Receipt receipt;
    try (Host host = hosts.open(enclave.importHost())) {
      try {
        receipt = new ReceiptVerifier().verify(host, mediaPath, ManifestSignature.readPublicKey(station.connectedPublicKey()));
      } catch (HostException unreachable) {
        throw unreachable;
      } catch (RuntimeException unreadable) {
        throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The media at " + mediaPath + " cannot be verified: "
            + unreadable.getMessage(), mediaPath + " on " + host.name());
      }
    }
    TransferManifest manifest = receipt.manifest();
    List<String> problems = new ArrayList<>();
    MediaReport report = receipt.report();
    if (report.signature() != MediaReport.SignatureState.VALID) {
      problems.add("signature " + report.signature() + ": the manifest was not signed by the connected side's key or was"
          + " changed");
    }
    if (manifest.schemaVersion() < TransferManifest.SCHEMA_VERSION) {
      problems.add("the manifest (schema " + manifest.schemaVersion() + ") names no prerequisites: media for a receiving"
          + " station are staged by a version that writes them");
    }
    if (!station.enclave().equals(manifest.enclave())) {
      problems.add("the media are for enclave " + manifest.enclave() + ", and this station serves " + station.enclave());
    }
    report.problems().forEach(problem -> problems.add(problem.toString()));
    Optional<Transfer> earlier = manifest.transferId() == null ? Optional.empty() : transfers.find(manifest.transferId());
    earlier.filter(transfer -> transfer.state() == TransferState.IMPORTED).ifPresent(done -> problems.add("transfer "
        + done.id() + " was already imported here (received " + done.createdAt() + "); these media hold nothing new"));
    String manifestSha256 = Sha256.hex(receipt.manifestBytes());
    if (!problems.isEmpty()) {
      boolean authenticForThisSite = report.signature() == MediaReport.SignatureState.VALID
          && station.enclave().equals(manifest.enclave()) && manifest.transferId() != null;
      if (authenticForThisSite && earlier.isEmpty()) {
        // The site report written now answers their transfer: refused.
        record(manifest, enclave.name(), TransferState.REFUSED_AT_STATION, report.bytesVerified(), manifestSha256,
            lifecycleId, mediaPath);
      } else if (authenticForThisSite && earlier.get().state() != TransferState.IMPORTED) {
        transfers.receivedAgain(manifest.transferId(), lifecycleId, mediaPath, manifestSha256);
        transfers.moveTo(manifest.transferId(), TransferState.REFUSED_AT_STATION);
      }
      throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The media at " + mediaPath + " were refused with "
          + problems.size() + " problem(s); nothing was imported", String.join("\n", problems));
    }
    if (earlier.isPresent()) {
      transfers.receivedAgain(manifest.transferId(), lifecycleId, mediaPath, manifestSha256);
    } else {
      record(manifest, enclave.name(), TransferState.RECEIVED, report.bytesVerified(), manifestSha256, lifecycleId,
          mediaPath);
    }
    controls.records().recordCustody(new ControlRecords.CustodyEvent(manifest.transferId(), ControlRecords.CustodyKind.RECEIVED,
        receivedBy, Instant.now(), null, "media at " + mediaPath));
    controls.records().recordCustody(new ControlRecords.CustodyEvent(manifest.transferId(), ControlRecords.CustodyKind.VERIFIED,
        null, Instant.now(), manifestSha256, report.filesVerified() + " file(s), " + report.bytesVerified() + " bytes"));
    return new Received(manifest.transferId(), manifest.lineage(), manifest.generations(), report.filesVerified(),
        report.bytesVerified());
  }
}
