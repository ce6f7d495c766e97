package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.integrity.Sha256;
import dev.ocmirror.orchestrator.ledger.ArchiveRecord;
import dev.ocmirror.orchestrator.ledger.ArchiveStore;
import dev.ocmirror.orchestrator.ledger.BlobSets;
import dev.ocmirror.orchestrator.ledger.GenerationContent;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /**
   * What the enclave's cache must hold for these media: every earlier generation of the lineage that the transfer
   * does not carry, since oc-mirror's differential archives build on all of them, and the digest of their blobs.
   */
  private TransferManifest.Prerequisites prerequisites(Transfer transfer) {
    int newest = transfer.generations().stream().mapToInt(Integer::intValue).max().orElse(transfer.target());
    Map<Integer, GenerationContent> lineage = generations.lineageContent(transfer.lineageId());
    List<Integer> required = lineage.keySet().stream()
        .filter(number -> number < newest && !transfer.generations().contains(number)).sorted().toList();
    Set<String> blobs = new HashSet<>();
    required.forEach(number -> blobs.addAll(lineage.get(number).archivedBlobs()));
    return new TransferManifest.Prerequisites(required, BlobSets.digest(blobs),
        transfer.sequence() == null ? 0 : transfer.sequence());
  }

  public Staged stage(String transferId) {
    Transfer transfer = transfers.get(transferId);
    controls.requireApprovalToStage(transfer);
    Path media = properties.media().stagingDirectory().resolve(transferId);
    List<MediaStager.Source> sources = new ArrayList<>();
    List<TransferManifest.GenerationContents> contents = new ArrayList<>();
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
        contents.add(new TransferManifest.GenerationContents(number, generation.configText(), generation.ocMirrorVersion(),
            generations.images(transfer.lineageId(), number)));
      }
      // Media too small or full raise MediaSpaceException: retrying by itself cannot make space, a person must.
      List<TransferManifest.ManifestFile> files = new MediaStager().stage(sources, media);
      TransferManifest manifest = new TransferManifest(TransferManifest.SCHEMA_VERSION, transfer.id(), transfer.lineageId(),
          transfer.generations(), transfer.enclave(), configDigest, version, Instant.now(), transfer.createdBy(),
          prerequisites(transfer), contents, files);
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
