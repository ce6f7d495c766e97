package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.CacheInventory;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferPlan;
import dev.ocmirror.orchestrator.ledger.TransferPlanner;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.remote.Host;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the media for one enclave must carry: the smallest set of generations that, with the blobs its cache really
 * holds (listed on the import host), contains everything the target generation needs; recorded in the ledger as a
 * planned transfer for the change manager's review.
 */
public final class PlanTransfer {

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final Generations generations;
  private final Enclaves enclaves;
  private final Transfers transfers;
  private final Controls controls;
  private final TransferPlanner planner = new TransferPlanner();

  public PlanTransfer(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves,
      Transfers transfers, Controls controls) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.enclaves = enclaves;
    this.transfers = transfers;
    this.controls = controls;
  }

  /**
   * @param summary the verdict, its reasons and the alternatives with their sizes, in words for the reviewer
   */
  public record Planned(String transferId, boolean provable, List<Integer> generations, long bytes, String summary) {
  }

  /**
   * @param lifecycleId the lifecycle the transfer belongs to; its approval is checked against that lifecycle's
   *     recorded requester
   */
  public Planned plan(String enclaveName, String lineage, int generation, String lifecycleId) {
    String requestedBy = controls.requestOf(lifecycleId).requestedBy();
    LifecycleProperties.Enclave enclave = properties.enclave(enclaveName);
    Set<String> cacheBlobs;
    try (Host host = hosts.open(enclave.importHost())) {
      cacheBlobs = CacheInventory.blobs(host, enclave.cacheDirectory());
    }
    Map<String, Long> needed = generations.neededBlobs(lineage, generation);
    Set<Integer> imported = enclaves.importedGenerations(enclaveName, lineage);
    TransferPlan plan = planner.plan(enclaveName, generation, generations.lineageContent(lineage), needed.keySet(), needed,
        cacheBlobs, imported);
    List<String> lines = new ArrayList<>();
    lines.add((plan.verdict() == TransferPlan.Verdict.PROVEN_COMPLETE ? "PROVEN COMPLETE" : "NOT PROVABLE")
        + ": carry generation(s) " + plan.generations() + ", " + bytes(plan.bytes()));
    plan.reasons().forEach(reason -> lines.add("- " + reason));
    if (imported.isEmpty() && generation > 1) {
      Map<String, Set<Integer>> others = new LinkedHashMap<>();
      for (String other : enclaves.lineagesOf(enclaveName)) {
        if (!other.equals(lineage)) {
          others.put(other, enclaves.importedGenerations(enclaveName, other));
        }
      }
      if (!others.isEmpty()) {
        lines.add("- the enclave follows another lineage (" + String.join(", ", others.keySet()) + "); content of lineage "
            + lineage + " starts from its generation 1 there");
      }
    }
    lines.add("Alternatives:");
    plan.alternatives().forEach(alternative -> lines.add("- " + alternative.kind() + ": " + alternative.description() + ", "
        + bytes(alternative.bytes())));
    String transferId = UUID.randomUUID().toString();
    transfers.record(new Transfer(transferId, enclaveName, lineage, generation, plan.generations(), plan.bytes(), null,
        TransferState.PLANNED, Instant.now(), requestedBy, lifecycleId, transfers.nextSequence(enclaveName), null));
    return new Planned(transferId, plan.verdict() == TransferPlan.Verdict.PROVEN_COMPLETE, plan.generations(), plan.bytes(),
        String.join("\n", lines));
  }

  static String bytes(long bytes) {
    if (bytes < 1 << 20) {
      return bytes + " bytes";
    }
    return String.format(Locale.ROOT, "%.1f MiB (%d bytes)", bytes / 1048576.0, bytes);
  }
}
