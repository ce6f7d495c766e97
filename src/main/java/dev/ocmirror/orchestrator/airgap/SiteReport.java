package dev.ocmirror.orchestrator.airgap;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * What a receiving station says of its disconnected site, signed with the station's own key and carried back on
 * media or on paper: which generations of which lineage its oc-mirror cache holds (and whether the cache really holds
 * every blob of them), what is live on each cluster, and what became of the transfer it last received.
 *
 * @param reportNumber increases with every report the station writes: a replayed or older report is refused
 * @param cacheBlobSetDigest the digest ({@link dev.ocmirror.orchestrator.ledger.BlobSets}) of the blobs of the
 *     imported generations that the cache still holds; equal to the connected side's digest of those generations
 *     only when nothing was lost
 * @param missingBlobs how many blobs of the imported generations the cache no longer holds
 * @param transfer the transfer this report answers, if it answers one
 */
@JsonPropertyOrder({"schemaVersion", "enclave", "reportNumber", "createdAt", "lineage", "generations", "cacheBlobSetDigest",
    "cacheComplete", "missingBlobs", "clusters", "transfer"})
public record SiteReport(int schemaVersion, String enclave, long reportNumber, Instant createdAt, String lineage,
    List<ImportedGeneration> generations, String cacheBlobSetDigest, boolean cacheComplete, int missingBlobs,
    List<LiveCluster> clusters, Acknowledgement transfer) {

  public static final int SCHEMA_VERSION = 1;

  public SiteReport {
    generations = generations == null ? List.of() : List.copyOf(generations);
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
  }

  @JsonPropertyOrder({"generation", "importedAt"})
  public record ImportedGeneration(int generation, Instant importedAt) {
  }

  @JsonPropertyOrder({"name", "lineage", "generation", "appliedAt", "rollback"})
  public record LiveCluster(String name, String lineage, int generation, Instant appliedAt, boolean rollback) {
  }

  /** How a transfer ended at the station. */
  public enum TransferOutcome {
    /** Every carried generation was imported and applied. */
    IMPORTED,
    /** Refused before anything was imported: signature, checksums or prerequisites. */
    REFUSED,
    /** Something failed on the way; the detail says what. */
    FAILED
  }

  @JsonPropertyOrder({"transferId", "sequence", "outcome", "detail"})
  public record Acknowledgement(String transferId, int sequence, TransferOutcome outcome, String detail) {
  }

  public List<Integer> generationNumbers() {
    return generations.stream().map(ImportedGeneration::generation).sorted().toList();
  }
}
