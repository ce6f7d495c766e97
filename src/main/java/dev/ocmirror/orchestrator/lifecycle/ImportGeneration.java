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

  public ImportGeneration(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves,
      Transfers transfers, Controls controls) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.enclaves = enclaves;
    this.transfers = transfers;
    this.controls = controls;
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
      host.createDirectories(directory);
      // A station reads the media where it verified them; the connected side, where the import host mounts what it staged.
      String media = (transfer.mediaPath() != null ? transfer.mediaPath() : enclave.mediaDirectory(transferId)) + "/"
          + ArchiveStore.generationName(generation);
      for (FileEntry archive : client.archivesIn(media)) {
        String target = directory + "/" + archive.name();
        if (host.stat(target).map(FileEntry::size).orElse(-1L) != archive.size()) {
          host.runToSuccess(Command.of("cp", "--", archive.path(), target), "copy " + archive.path(), COPY_LIMIT);
        }
      }
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

  private LifecycleProperties.Enclave enclave(Purpose purpose) {
    return properties.enclave(Purpose.needed(purpose.enclave(), "enclave"));
  }
}
