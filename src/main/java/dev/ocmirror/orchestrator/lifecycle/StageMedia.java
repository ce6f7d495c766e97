package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.integrity.Sha256;
import dev.ocmirror.orchestrator.ledger.ArchiveRecord;
import dev.ocmirror.orchestrator.ledger.ArchiveStore;
import dev.ocmirror.orchestrator.ledger.GenerationRecord;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import dev.ocmirror.orchestrator.transfer.MediaStager;
import dev.ocmirror.orchestrator.transfer.TransferManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies the planned generations' archives from the store onto the media with a signed manifest; resumes where it
 * stopped. Refuses, before touching anything, a transfer without an approval of exactly its plan by someone other
 * than its requester.
 */
public final class StageMedia {

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final Generations generations;
  private final Transfers transfers;
  private final Controls controls;

  public StageMedia(LifecycleProperties properties, Hosts hosts, Generations generations, Transfers transfers,
      Controls controls) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.transfers = transfers;
    this.controls = controls;
  }

  public record Staged(String mediaDirectory, String manifestSha256, int files, long bytes) {
  }

  public Staged stage(String transferId) {
    Transfer transfer = transfers.get(transferId);
    controls.requireApprovalToStage(transfer);
    Path media = properties.media().stagingDirectory().resolve(transferId);
    List<MediaStager.Source> sources = new ArrayList<>();
    String configDigest = null;
    String version = null;
    try (Host mirrorHost = hosts.open(properties.mirror().host())) {
      for (int number : transfer.generations()) {
        GenerationRecord generation = generations.find(transfer.lineageId(), number).orElseThrow();
        if (generation.archivesDeleted()) {
          throw new IllegalStateException("The archives of generation " + number + " were deleted by retention after the plan;"
              + " plan the transfer again");
        }
        for (ArchiveRecord archive : generations.archives(transfer.lineageId(), number)) {
          sources.add(new MediaStager.Source(mirrorHost, generation.storePath() + "/" + archive.fileName(),
              ArchiveStore.generationName(number) + "/" + archive.fileName(), archive.sha256()));
        }
        configDigest = generation.configDigest();
        version = generation.ocMirrorVersion();
      }
      List<TransferManifest.ManifestFile> files = new MediaStager().stage(sources, media);
      TransferManifest manifest = new TransferManifest(TransferManifest.SCHEMA_VERSION, transfer.lineageId(),
          transfer.generations(), transfer.enclave(), configDigest, version, Instant.now(), transfer.createdBy(), files);
      MediaStager.writeSigned(manifest, media, ManifestSignature.readPrivateKey(properties.signing().privateKey()));
      String manifestSha256 = Sha256.hex(manifest.toJson());
      transfers.moveTo(transferId, TransferState.STAGED, manifestSha256);
      controls.records().recordCustody(new ControlRecords.CustodyEvent(transferId, ControlRecords.CustodyKind.STAGED, null,
          Instant.now(), manifestSha256, files.size() + " file(s) in " + media));
      return new Staged(media.toString(), manifestSha256, files.size(),
          files.stream().mapToLong(TransferManifest.ManifestFile::size).sum());
    }
  }
}
