package dev.ocmirror.orchestrator.airgap;

import dev.ocmirror.orchestrator.ledger.ArchiveDamagedException;
import dev.ocmirror.orchestrator.ledger.ArchiveRecord;
import dev.ocmirror.orchestrator.ledger.ArchiveStore;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.LedgerException;
import dev.ocmirror.orchestrator.ledger.LedgerIngest;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.Hosts;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfigurationReader;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.transfer.TransferManifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The station records each carried generation in its own ledger, read from the archives on the media as the
 * connected side read them: so that it knows, without asking anyone, which blobs each generation put into its cache.
 * A generation recorded before (the same archives, carried again after a lost cache) is taken as it is.
 */
public final class RecordCarriedGenerations {

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final Generations generations;
  private final Transfers transfers;
  private final ImageSetConfigurationReader reader = new ImageSetConfigurationReader();

  public RecordCarriedGenerations(LifecycleProperties properties, Hosts hosts, Generations generations, Transfers transfers) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.transfers = transfers;
  }

  private static Map<String, String> signed(List<TransferManifest.ManifestFile> archives) {
    Map<String, String> signed = new HashMap<>();
    archives.forEach(file -> signed.put(file.path().substring(file.path().lastIndexOf('/') + 1), file.sha256()));
    return signed;
  }

  public void record(String transferId) {
    Transfer transfer = transfers.get(transferId);
    LifecycleProperties.Enclave enclave = properties.enclave(transfer.enclave());
    try (Host host = hosts.open(enclave.importHost())) {
      TransferManifest manifest = StationMedia.manifest(host, transfer);
      for (int number : manifest.generations()) {
        String directory = transfer.mediaPath() + "/" + ArchiveStore.generationName(number);
        List<TransferManifest.ManifestFile> archives = manifest.files().stream()
            .filter(file -> file.path().startsWith(ArchiveStore.generationName(number) + "/")).toList();
        if (generations.find(manifest.lineage(), number).isPresent()) {
          Set<String> known = generations.archives(manifest.lineage(), number).stream().map(ArchiveRecord::sha256)
              .collect(Collectors.toSet());
          Set<String> carried = archives.stream().map(TransferManifest.ManifestFile::sha256).collect(Collectors.toSet());
          if (!known.equals(carried)) {
            throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "Generation " + number + " of lineage "
                + manifest.lineage() + " is on record here with other archives than these media carry; nothing is"
                + " imported", "A lineage's generation is written once; take a new baseline.");
          }
          continue;
        }
        TransferManifest.GenerationContents contents = manifest.contentsOf(number).orElseThrow();
        List<String> paths = new ArrayList<>();
        archives.forEach(file -> paths.add(transfer.mediaPath() + "/" + file.path()));
        try {
          new LedgerIngest(generations).ingest(new LedgerIngest.Request(manifest.lineage(), number, contents.configText(),
              ImageSetConfigurationReader.digest(reader.read(contents.configText())), contents.ocMirrorVersion(), directory,
              host, paths, List.copyOf(contents.images().keySet()), manifest.createdBy(), signed(archives)));
        } catch (LedgerException | ArchiveDamagedException refused) {
          throw new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The station's ledger refused generation " + number
              + " of these media: " + refused.getMessage(), directory + " on " + host.name());
        }
      }
    }
  }
}
