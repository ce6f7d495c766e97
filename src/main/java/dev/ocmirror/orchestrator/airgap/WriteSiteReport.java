package dev.ocmirror.orchestrator.airgap;

import dev.ocmirror.orchestrator.ledger.BlobSets;
import dev.ocmirror.orchestrator.ledger.CacheInventory;
import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.ClusterApply;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.GenerationContent;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.Hosts;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The station writes what its site holds, signed with its own key, to the return directory and as text a person can
 * carry: the generations imported and when, whether the cache still holds every blob of them (and the digest of those
 * it holds), what is live on each cluster, and what became of the transfer it answers. Its reports are numbered, so
 * that the connected side refuses a replayed or older one.
 */
public final class WriteSiteReport {

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final Generations generations;
  private final Enclaves enclaves;
  private final Transfers transfers;
  private final ClusterApplies applies;
  private final SiteReportRecords reports;

  public WriteSiteReport(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves,
      Transfers transfers, ClusterApplies applies, SiteReportRecords reports) {
    this.properties = properties;
    this.hosts = hosts;
    this.generations = generations;
    this.enclaves = enclaves;
    this.transfers = transfers;
    this.applies = applies;
    this.reports = reports;
  }

  /** A written report: its number, the file on the return media and the text to carry. */
  public record Written(long number, Path file, String text) {
  }

  /**
   * @param transferId the transfer the report answers; null for a report on demand, which answers the last one received
   * @param outcome what became of that transfer
   * @param detail why, when it was not imported
   */
  public Written write(String transferId, SiteReport.TransferOutcome outcome, String detail) {
    LifecycleProperties.Station station = properties.station();
    LifecycleProperties.Enclave enclave = properties.enclave(station.enclave());
    Optional<SiteReportRecords.RecordedReport> previous = reports.latest(enclave.name());
    Optional<Transfer> answered = Optional.ofNullable(transferId).flatMap(transfers::find);
    SiteReport.Acknowledgement acknowledgement = answered.map(transfer -> new SiteReport.Acknowledgement(transfer.id(),
        transfer.sequence() == null ? 0 : transfer.sequence(), outcome, detail)).orElseGet(() -> previous
        .filter(report -> report.transferId() != null)
        .map(report -> new SiteReport.Acknowledgement(report.transferId(), report.transferSequence(),
            SiteReport.TransferOutcome.valueOf(report.transferOutcome()), null)).orElse(null));
    String lineage = answered.map(Transfer::lineageId).orElseGet(() -> enclaves.latestLineage(enclave.name()).orElse(null));
    Map<Integer, Instant> imported = lineage == null ? Map.of() : enclaves.importTimes(enclave.name(), lineage);
    Set<String> blobs = new HashSet<>();
    if (lineage != null) {
      Map<Integer, GenerationContent> content = generations.lineageContent(lineage);
      imported.keySet().forEach(number -> blobs.addAll(content.get(number).archivedBlobs()));
    }
    Set<String> held;
    try (Host host = hosts.open(enclave.importHost())) {
      held = new HashSet<>(CacheInventory.blobs(host, enclave.cacheDirectory()));
    }
    held.retainAll(blobs);
    List<SiteReport.ImportedGeneration> importedGenerations = new ArrayList<>();
    imported.forEach((number, at) -> importedGenerations.add(new SiteReport.ImportedGeneration(number, at)));
    Map<String, SiteReport.LiveCluster> live = new LinkedHashMap<>();
    for (ClusterApply apply : applies.history(enclave.name())) {
      live.put(apply.cluster(), new SiteReport.LiveCluster(apply.cluster(), apply.lineageId(), apply.generation(),
          apply.appliedAt(), apply.rollback()));
    }
    long number = reports.lastNumber(enclave.name()) + 1;
    SiteReport report = new SiteReport(SiteReport.SCHEMA_VERSION, enclave.name(), number, Instant.now(), lineage,
        importedGenerations, BlobSets.digest(held), held.size() == blobs.size(), blobs.size() - held.size(),
        List.copyOf(live.values()), acknowledgement);
    String text = SiteReportText.write(report, ManifestSignature.readPrivateKey(station.reportPrivateKey()));
    SiteReportText.Signed signed = SiteReportText.read(text);
    // On record first: a report written at the same moment takes the same number, and the ledger's key refuses it
    // before any file exists.
    reports.record(new SiteReportRecords.RecordedReport(enclave.name(), number, report.createdAt(), report.createdAt(), null,
        lineage, report.generationNumbers(), report.cacheBlobSetDigest(), report.cacheComplete(), report.cacheComplete(),
        acknowledgement == null ? null : acknowledgement.transferId(),
        acknowledgement == null ? null : acknowledgement.sequence(),
        acknowledgement == null ? null : acknowledgement.outcome().name(), text, signed.signature()));
    Path file = station.returnDirectory().resolve("site-report-" + enclave.name() + "-" + number + ".txt");
    try {
      Files.createDirectories(station.returnDirectory());
      Files.writeString(file, text, StandardCharsets.US_ASCII);
      Files.write(station.returnDirectory().resolve("site-report-" + enclave.name() + "-" + number + ".json"),
          SiteReportText.readable(report));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the site report to " + station.returnDirectory() + ": " + e.getMessage(), e);
    }
    return new Written(number, file, text);
  }
}
