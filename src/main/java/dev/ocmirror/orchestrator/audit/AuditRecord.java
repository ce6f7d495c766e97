package dev.ocmirror.orchestrator.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What compliance needs to answer for one lifecycle: which content, from which run, approved by whom, carried
 * by whom, verified how, applied when. Built from the engine's full history and the ledger; never stored, only
 * its digest is (the seal).
 */
public record AuditRecord(Lifecycle lifecycle, Generation generation, List<Delivery> deliveries,
    List<ClusterApplied> clusterResources, List<Event> timeline) {

  /**
   * @param outcome how it came out, for this lifecycle as a whole (its worst delivery's, when several)
   * @param state the engine's state of the instance (ACTIVE, COMPLETED, EXTERNALLY_TERMINATED, ...)
   * @param note what was never made or done, when the lifecycle did not deliver
   */
  public record Lifecycle(String id, String process, String requestedBy, Instant started, Instant ended, Outcome outcome,
      String state, List<String> endedAt, String note) {
  }

  public record Generation(String lineage, Integer number, String configDigest, String configDiff, String ocMirrorVersion,
      Object imagesPlanned, Object imagesInGeneration, List<Archive> archives) {
  }

  public record Archive(String file, long size, String sha256) {
  }

  public record Delivery(String enclave, String processInstanceId, Outcome outcome, String transferId,
      List<Integer> generations, Long bytes, String plan, Boolean approved, String approver, String reviewComment,
      String manifestSha256, Custody custody, Object verifiedFiles, Object imagesVerified, List<String> endedAt) {
  }

  public record Custody(String mediaId, String sealNumber, String courier, String handedOverBy, Instant handedOverAt,
      String receivedBy, Instant receivedAt, String receivedMediaId, String receivedSealNumber, Boolean sealIntact) {
  }

  public record ClusterApplied(String enclave, String cluster, int generation, List<String> resources, Instant appliedAt,
      boolean rollback) {
  }

  /**
   * One line of the timeline.
   *
   * @param kind {@code person} (start, claim, complete, comment), {@code operation} (anything else a person did
   *     through the engine: a modification, a variable written, a cancellation, retries set), {@code refused} (a
   *     submission or command the service refused, with the reason given) or {@code system} (a step and its outcome)
   * @param values what a person submitted, by variable name
   */
  public record Event(Instant at, String kind, String actor, String process, String activity, String what, String outcome,
      Map<String, String> values) {
  }
}
