package dev.ocmirror.orchestrator.ledger;

import java.time.Instant;
import java.util.List;

/** A transfer as planned and approved, and what became of it. */
public record Transfer(String id, String enclave, String lineageId, int target, List<Integer> generations, long bytes,
    String manifestSha256, TransferState state, Instant createdAt, String createdBy, String lifecycleId) {

  public Transfer {
    generations = List.copyOf(generations);
  }
}
