package dev.ocmirror.orchestrator.airgap;

import dev.ocmirror.orchestrator.ledger.BlobSets;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.GenerationContent;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The connected side records what a disconnected site's receiving station reports, after checking that the report
 * is what the station signed, for this enclave, and newer than any recorded: the enclave's ledger state then follows
 * the report, and the report is proven when the blobs it says the cache holds are exactly those the ledger knows the
 * reported generations put there.
 */
public final class SiteReports {

  private final LifecycleProperties properties;
  private final Generations generations;
  private final Enclaves enclaves;
  private final SiteReportRecords records;
  private final Transfers transfers;

  public SiteReports(LifecycleProperties properties, Generations generations, Enclaves enclaves, SiteReportRecords records,
      Transfers transfers) {
    this.properties = properties;
    this.generations = generations;
    this.enclaves = enclaves;
    this.records = records;
    this.transfers = transfers;
  }

  /**
   * As {@link #record}, but a report already recorded exactly as given (the same number, the same signature) is
   * taken as it is: an operator who records the report a delivery waits on after it came in through the API.
   */
  public SiteReportRecords.RecordedReport recordOrFind(String expectedEnclave, String text, String recordedBy) {
    try {
      SiteReportText.Signed signed = SiteReportText.read(text);
      Optional<SiteReportRecords.RecordedReport> known = records.find(signed.report().enclave(), signed.report().reportNumber())
          .filter(report -> report.signature().equals(signed.signature()));
      if (known.isPresent() && (expectedEnclave == null || expectedEnclave.equals(known.get().enclave()))) {
        return known.get();
      }
    } catch (SiteReportText.Unreadable unreadable) {
      // record() names what is wrong with it.
    }
    return record(expectedEnclave, text, recordedBy);
  }

  /**
   * @param expectedEnclave the enclave the report must be from (the delivery waiting for it); null accepts any media
   *     enclave
   */
  public SiteReportRecords.RecordedReport record(String expectedEnclave, String text, String recordedBy) {
    SiteReportText.Signed signed;
    try {
      signed = SiteReportText.read(text);
    } catch (SiteReportText.Unreadable unreadable) {
      throw new SiteReportRefused(unreadable.getMessage() + ".");
    }
    SiteReport report = signed.report();
    if (expectedEnclave != null && !expectedEnclave.equals(report.enclave())) {
      throw new SiteReportRefused("This report is from enclave " + report.enclave() + ", not " + expectedEnclave + ".");
    }
    LifecycleProperties.Enclave enclave = properties.findEnclave(report.enclave()).filter(LifecycleProperties.Enclave::byMedia)
        .orElseThrow(() -> new SiteReportRefused("This report is from enclave " + report.enclave()
            + ", which is not an enclave reached by media here."));
    PublicKey stationKey = ManifestSignature.readPublicKey(enclave.stationPublicKey());
    if (!signed.verifiedBy(stationKey)) {
      throw new SiteReportRefused("This report was not signed by the receiving station of " + enclave.name()
          + ", or was changed after it was signed.");
    }
    long last = records.lastNumber(enclave.name());
    if (report.reportNumber() <= last) {
      throw new SiteReportRefused("Report " + report.reportNumber() + " of " + enclave.name() + " is not newer than report "
          + last + " already recorded: it is a replay or an old report.");
    }
    boolean lineageKnown = report.lineage() != null && generations.lineageExists(report.lineage());
    if (report.lineage() != null && !lineageKnown) {
      throw new SiteReportRefused("This report names lineage " + report.lineage() + ", which the ledger does not know.");
    }
    boolean proven = lineageKnown && report.cacheComplete()
        && expectedDigest(report.lineage(), report).equals(report.cacheBlobSetDigest());
    Instant now = Instant.now();
    SiteReport.Acknowledgement transfer = report.transfer();
    SiteReportRecords.RecordedReport recorded = new SiteReportRecords.RecordedReport(enclave.name(), report.reportNumber(),
        report.createdAt(), now, recordedBy, report.lineage(), report.generationNumbers(), report.cacheBlobSetDigest(),
        report.cacheComplete(), proven, transfer == null ? null : transfer.transferId(),
        transfer == null ? null : transfer.sequence(), transfer == null ? null : transfer.outcome().name(),
        text.strip(), signed.signature());
    records.record(recorded);
    if (lineageKnown) {
      // What the answered transfer carried was imported now, again if it had been before; the rest as first learnt.
      Set<Integer> carried = transfer == null || transfer.outcome() != SiteReport.TransferOutcome.IMPORTED ? Set.of()
          : transfers.find(transfer.transferId()).filter(answered -> answered.enclave().equals(enclave.name()))
              .map(answered -> Set.copyOf(answered.generations())).orElse(Set.of());
      Set<Integer> known = enclaves.importedGenerations(enclave.name(), report.lineage());
      for (int generation : report.generationNumbers()) {
        if (carried.contains(generation) || !known.contains(generation)) {
          enclaves.recordImport(enclave.name(), report.lineage(), generation, now);
        }
      }
    }
    return recorded;
  }

  /** The digest of every blob the ledger knows the report's generations archived. */
  private String expectedDigest(String lineage, SiteReport report) {
    Map<Integer, GenerationContent> content = generations.lineageContent(lineage);
    Set<String> blobs = new HashSet<>();
    for (int generation : report.generationNumbers()) {
      GenerationContent archived = content.get(generation);
      if (archived == null) {
        return "generation " + generation + " unknown";
      }
      blobs.addAll(archived.archivedBlobs());
    }
    return BlobSets.digest(blobs);
  }
}
