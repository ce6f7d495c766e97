package dev.ocmirror.orchestrator.ledger;

import java.util.List;

/**
 * What to carry to one enclave so that importing generation {@code target} cannot fail for missing content.
 *
 * @param generations the generations to carry, in import order
 * @param bytes total size of their archives
 * @param reasons why the plan is what it is, in words a change manager reads
 * @param alternatives other ways, with their sizes, offered when the plan is not provable (and for comparison)
 */
public record TransferPlan(
    String enclave,
    int target,
    Verdict verdict,
    List<Integer> generations,
    long bytes,
    int missingBlobs,
    List<String> reasons,
    List<Alternative> alternatives) {

  public enum Verdict {
    /** The carried archives together with the blobs the enclave's cache really holds contain every needed blob. */
    PROVEN_COMPLETE,
    /** Some needed blobs are in no archive of the lineage and not in the cache: carrying archives cannot help. */
    NOT_PROVABLE
  }

  public enum AlternativeKind {
    /** Every generation of the lineage up to the target, as teams carry today. */
    CUMULATIVE,
    /** A fresh full mirrorToDisk: every blob the target's images need (an estimate of its archive size). */
    NEW_BASELINE
  }

  public record Alternative(AlternativeKind kind, List<Integer> generations, long bytes, String description) {
  }

  public TransferPlan {
    generations = List.copyOf(generations);
    reasons = List.copyOf(reasons);
    alternatives = List.copyOf(alternatives);
  }
}
