package dev.ocmirror.orchestrator.airgap;

import dev.ocmirror.orchestrator.ledger.BlobSets;
import dev.ocmirror.orchestrator.ledger.CacheInventory;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.GenerationContent;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.Hosts;
import dev.ocmirror.orchestrator.lifecycle.ImportPrerequisites;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.transfer.TransferManifest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Before any diskToMirror, as {@code git bundle verify} does: the generations the media build on must have been
 * imported here, the station's own record of their blobs must be the connected side's (the same digest), and the
 * cache must still hold every one of those blobs. Otherwise nothing is imported, and the reason names what is
 * missing, so that the connected side can send the cumulative set instead of a differential archive that would fail
 * with {@code manifest unknown}.
 */
public final class CheckPrerequisites implements ImportPrerequisites {

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final Generations generations;
  private final Enclaves enclaves;
  private final Transfers transfers;

  public CheckPrerequisites(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves,
      Transfers transfers) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.enclaves = enclaves;
    this.transfers = transfers;
  }

  @Override
  public void check(String transferId) {
    Transfer transfer = transfers.get(transferId);
    LifecycleProperties.Enclave enclave = properties.enclave(transfer.enclave());
    try (Host host = hosts.open(enclave.importHost())) {
      TransferManifest manifest = StationMedia.manifest(host, transfer);
      List<Integer> required = manifest.prerequisites().requiredGenerations();
      Set<Integer> missing = new TreeSet<>(required);
      missing.removeAll(enclaves.importedGenerations(enclave.name(), manifest.lineage()));
      if (!missing.isEmpty()) {
        throw refused(transfer, "this station never imported generation(s) " + missing + " of lineage " + manifest.lineage()
            + ", which these media build on");
      }
      Map<Integer, GenerationContent> content = generations.lineageContent(manifest.lineage());
      Set<String> blobs = new HashSet<>();
      required.forEach(number -> blobs.addAll(content.get(number).archivedBlobs()));
      if (!BlobSets.digest(blobs).equals(manifest.prerequisites().blobSetDigest())) {
        throw refused(transfer, "the station's record of generation(s) " + required + " is not the connected side's (the"
            + " digests of their blobs differ)");
      }
      Set<String> lacking = new HashSet<>(blobs);
      lacking.removeAll(CacheInventory.blobs(host, enclave.cacheDirectory()));
      if (!lacking.isEmpty()) {
        throw refused(transfer, "the cache lacks " + lacking.size() + " of the " + blobs.size() + " blob(s) of generation(s) "
            + required + " (lost or pruned), for example " + lacking.iterator().next());
      }
    }
  }

  private static DecisionNeeded refused(Transfer transfer, String why) {
    return new DecisionNeeded(DecisionNeeded.Reason.PREREQUISITES_MISSING, "The media of transfer " + transfer.id()
        + " cannot be imported: " + why + "; nothing was imported", "Ask the connected side for the cumulative set of"
        + " generations or a new baseline: the site report written now tells it what this station holds.");
  }
}
