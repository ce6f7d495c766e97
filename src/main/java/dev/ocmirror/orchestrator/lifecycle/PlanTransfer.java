package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.CacheInventory;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.GenerationContent;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
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
import java.util.Map;
import java.util.Optional;
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
  private final SiteReportRecords reports;
  private final Controls controls;
  private final TransferPlanner planner = new TransferPlanner();

  public PlanTransfer(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves,
      Transfers transfers, SiteReportRecords reports, Controls controls) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.enclaves = enclaves;
    this.transfers = transfers;
    this.reports = reports;
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
    Map<Integer, GenerationContent> content = generations.lineageContent(lineage);
    Set<Integer> imported = enclaves.importedGenerations(enclaveName, lineage);
    CacheEvidence cache = enclave.byMedia() ? fromSiteReport(enclaveName, lineage, content, imported)
        : fromImportHost(enclave);
    Map<String, Long> needed = generations.neededBlobs(lineage, generation);
    TransferPlan plan = planner.plan(enclaveName, generation, content, needed.keySet(), needed, cache.blobs(), imported);
    boolean proven = plan.verdict() == TransferPlan.Verdict.PROVEN_COMPLETE;
    // Media that carry every generation from the first build on nothing the cache may or may not hold.
    boolean assumed = cache.assumed() && plan.generations().size() < generation;
    List<String> lines = new ArrayList<>();
    lines.add((!proven ? "NOT PROVABLE" : assumed ? "ASSUMED, NOT PROVEN" : "PROVEN COMPLETE")
        + ": carry generation(s) " + plan.generations() + ", " + Sizes.words(plan.bytes()));
    if (cache.note() != null && (assumed || !cache.assumed())) {
      lines.add("- " + cache.note());
    }
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
        + Sizes.words(alternative.bytes())));
    String transferId = UUID.randomUUID().toString();
    transfers.record(new Transfer(transferId, enclaveName, lineage, generation, plan.generations(), plan.bytes(), null,
        TransferState.PLANNED, Instant.now(), requestedBy, lifecycleId, transfers.nextSequence(enclaveName), null));
    return new Planned(transferId, proven, plan.generations(), plan.bytes(), String.join("\n", lines));
  }

  /**
   * What is known of the blobs an enclave's cache holds.
   *
   * @param assumed nothing proves it: the plan rests on what the ledger believes, and the station's check of the
   *     media's prerequisites is what stops a wrong belief from reaching the cache
   */
  private record CacheEvidence(Set<String> blobs, boolean assumed, String note) {
  }

  private CacheEvidence fromImportHost(LifecycleProperties.Enclave enclave) {
    try (Host host = hosts.open(enclave.importHost())) {
      return new CacheEvidence(CacheInventory.blobs(host, enclave.cacheDirectory()), false, null);
    }
  }

  /**
   * Across an air gap the cache is known only from the station's last site report: proven when it answers the last
   * transfer that went out and its blobs are exactly those the ledger knows its generations archived; assumed from
   * the ledger when no report came back since; counted as empty when the report says the cache lost content.
   */
  private CacheEvidence fromSiteReport(String enclave, String lineage, Map<Integer, GenerationContent> content,
      Set<Integer> imported) {
    Optional<SiteReportRecords.RecordedReport> report = reports.latest(enclave);
    Optional<Transfer> lastOut = transfers.lastHandedOver(enclave);
    boolean answered = report.isPresent() && (lastOut.isEmpty() || report.get().transferSequence() != null
        && report.get().transferSequence() >= lastOut.get().sequence());
    if (report.isPresent() && answered && lineage.equals(report.get().lineageId())) {
      SiteReportRecords.RecordedReport latest = report.get();
      if (!latest.proven()) {
        return new CacheEvidence(Set.of(), false, "site report " + latest.number() + " of " + latest.createdAt()
            + " does not prove the cache: " + (latest.cacheComplete() ? "its blobs are not those of generations "
                + latest.generations() : "the cache lost content") + "; nothing in it is counted");
      }
      return new CacheEvidence(blobsOf(content, latest.generations()), false, "proven from site report " + latest.number()
          + " of " + latest.createdAt() + ": the station's cache holds every blob of generation(s) " + latest.generations());
    }
    String since = lastOut.map(transfer -> "transfer " + transfer.sequence()).orElse("the first transfer");
    return new CacheEvidence(blobsOf(content, imported), true, "assumed, not proven: no site report since " + since
        + "; the station refuses these media before importing them if its cache lacks a prerequisite");
  }

  private static Set<String> blobsOf(Map<Integer, GenerationContent> content, java.util.Collection<Integer> numbers) {
    Set<String> blobs = new java.util.HashSet<>();
    numbers.forEach(number -> {
      if (content.containsKey(number)) {
        blobs.addAll(content.get(number).archivedBlobs());
      }
    });
    return blobs;
  }

}
