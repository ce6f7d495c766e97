package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.ArchiveStore;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.GenerationRecord;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome;
import dev.ocmirror.orchestrator.ocmirror.Workflow;
import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.transfer.ReceiptVerifier;
import dev.ocmirror.orchestrator.transfer.TransferManifest;
import java.util.Map;
import java.util.TreeMap;
import java.time.Duration;
import java.time.Instant;

/**
 * diskToMirror of one carried generation into the enclave's persistent cache and registry. A delivery imports what
 * its media carry, once their receipt was verified; a rollback without a transfer re-imports the archives kept on
 * the import host, once the rollback was approved.
 */
public final class ImportGeneration implements OcMirrorStep {

  // Tens of gigabytes from removable media.
  private static final Duration COPY_LIMIT = Duration.ofHours(12);

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final Generations generations;
  private final Enclaves enclaves;
  private final Transfers transfers;
  private final Controls controls;
  private final ImportPrerequisites prerequisites;

  public ImportGeneration(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves,
      Transfers transfers, Controls controls) {
    this(properties, hosts, generations, enclaves, transfers, controls, ImportPrerequisites.NONE);
  }

  public ImportGeneration(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves,
      Transfers transfers, Controls controls, ImportPrerequisites prerequisites) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.enclaves = enclaves;
    this.transfers = transfers;
    this.controls = controls;
    this.prerequisites = prerequisites;
  }

  @Override
  public Host openHost(Purpose purpose) {
    return hosts.open(enclave(purpose).importHost());
  }

  @Override
  public OcMirrorClient client(Host host, Purpose purpose) {
    return new OcMirrorClient(host, enclave(purpose).settings());
  }

  /**
   * The archives are copied from the media into a directory per generation first: d2m writes its working-dir beside
   * them, and a rollback may need them after the media have gone back.
   */
  @Override
  public DetachedRun start(OcMirrorClient client, String runId, Purpose purpose) {
    LifecycleProperties.Enclave enclave = enclave(purpose);
    String transferId = purpose.transferId();
    Transfer transfer = transferId == null ? null : transfers.get(transferId);
    if (transfer != null && properties.receivingStation()) {
      controls.requireStationImport(transfer, properties.station().approvalRequired());
      try {
        prerequisites.check(transferId);
      } catch (DecisionNeeded missing) {
        throw new DecisionNeeded(DecisionNeeded.Reason.IMPORT_FAILED, missing.getMessage(), missing.details());
      }
    } else if (transfer != null) {
      controls.requireVerifiedReceiptToImport(transfer, enclave.senderMayConfirmReceipt());
    }
    String lineage = Purpose.needed(purpose.lineage(), "lineage");
    int generation = Purpose.needed(purpose.importGeneration(), "generation to import");
    if (transferId == null) {
      controls.requireApprovalToRollBack(Purpose.needed(purpose.processInstanceId(), "process instance"), enclave.name(),
          lineage, generation);
    }
    String directory = enclave.importDirectory(lineage, generation);
    Host host = client.host();
    if (transferId != null) {
      // A station reads the media where it verified them; the connected side, where the import host mounts what it staged.
      String media = transfer.mediaPath() != null ? transfer.mediaPath() : enclave.mediaDirectory(transferId);
      copyVerified(host, transfer, media, generation, directory);
    }
    if (client.archivesIn(directory).isEmpty()) {
      throw new IllegalStateException("No archives of generation " + generation + " in " + directory + " on " + host.name());
    }
    String config = generations.find(lineage, generation).map(GenerationRecord::configText).orElseThrow(() ->
        new IllegalStateException("The ledger has no generation " + generation + " of " + lineage));
    return client.startDiskToMirror(runId, directory, enclave.cacheDirectory(), config, enclave.registry().destination(), false);
  }

  @Override
  public RunVerdict finish(OcMirrorClient client, DetachedRun run, Purpose purpose) {
    LifecycleProperties.Enclave enclave = enclave(purpose);
    String lineage = Purpose.needed(purpose.lineage(), "lineage");
    int generation = Purpose.needed(purpose.importGeneration(), "generation to import");
    OcMirrorOutcome outcome = client.outcome(run, Workflow.DISK_TO_MIRROR, enclave.importDirectory(lineage, generation), false);
    if (outcome.succeeded()) {
      enclaves.recordImport(enclave.name(), lineage, generation, Instant.now());
    }
    return OutcomeVerdicts.of(outcome, run, purpose, DecisionNeeded.Reason.IMPORT_FAILED,
        new RunVerdict.Results(null, null, null, null, generation));
  }

  /**
   * Copies exactly the archives the verified manifest lists for this generation, and holds each copy to the SHA-256
   * the manifest signs: media changed between their verification and the import (an archive swapped or added where
   * they are mounted) import nothing. The manifest itself must still be the one verified.
   */
  private static void copyVerified(Host host, Transfer transfer, String media, int generation, String directory) {
    TransferManifest manifest = ReceiptVerifier.manifestAsVerified(host, media, transfer.manifestSha256())
        .orElseThrow(() -> changed(transfer, "the manifest at " + media + " is not the one verified"));
    String prefix = ArchiveStore.generationName(generation) + "/";
    Map<String, TransferManifest.ManifestFile> listed = new TreeMap<>();
    for (TransferManifest.ManifestFile file : manifest.files()) {
      String name = file.path().startsWith(prefix) ? file.path().substring(prefix.length()) : null;
      if (name != null && !name.isEmpty() && !name.contains("/")) {
        listed.put(name, file);
      }
    }
    host.createDirectories(directory);
    for (FileEntry present : host.list(directory)) {
      if (present.name().endsWith(".tar") && !listed.containsKey(present.name())) {
        throw changed(transfer, "archive " + present.name() + " in " + directory + " is not on the manifest");
      }
    }
    for (Map.Entry<String, TransferManifest.ManifestFile> archive : listed.entrySet()) {
      String target = directory + "/" + archive.getKey();
      TransferManifest.ManifestFile file = archive.getValue();
      boolean copied = host.stat(target).map(FileEntry::size).orElse(-1L) == file.size()
          && host.sha256(target).equals(file.sha256());
      if (!copied) {
        String source = media + "/" + file.path();
        host.runToSuccess(Command.of("cp", "--", source, target), "copy " + source, COPY_LIMIT);
        if (!host.sha256(target).equals(file.sha256())) {
          throw changed(transfer, "archive " + file.path() + " no longer has the SHA-256 its manifest signs");
        }
      }
    }
  }

  private static DecisionNeeded changed(Transfer transfer, String what) {
    return new DecisionNeeded(DecisionNeeded.Reason.IMPORT_FAILED, "The media of transfer " + transfer.id()
        + " changed after they were verified: " + what + "; nothing of them was imported",
        "Restore the media as they were staged and try again, or abandon the import.");
  }

  private LifecycleProperties.Enclave enclave(Purpose purpose) {
    return properties.enclave(Purpose.needed(purpose.enclave(), "enclave"));
  }
}
