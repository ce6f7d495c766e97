package dev.ocmirror.orchestrator.ledger;

import java.time.Instant;
import java.util.List;

/**
 * A transfer as planned and approved, and what became of it.
 *
 * @param sequence the transfer's number among all transfers to its enclave, which a site report acknowledges
 * @param mediaPath on a receiving station, where the verified media lie; null on the connected side, whose media
 *     lie where it staged them
 */
public record Transfer(String id, String enclave, String lineageId, int target, List<Integer> generations, long bytes,
    String manifestSha256, TransferState state, Instant createdAt, String createdBy, String lifecycleId, Integer sequence,
    String mediaPath) {

  public Transfer {
    generations = List.copyOf(generations);
  }

  /** A transfer without sequence or media path. */
  public Transfer(String id, String enclave, String lineageId, int target, List<Integer> generations, long bytes,
      String manifestSha256, TransferState state, Instant createdAt, String createdBy, String lifecycleId) {
    this(id, enclave, lineageId, target, generations, bytes, manifestSha256, state, createdAt, createdBy, lifecycleId, null,
        null);
  }
}
