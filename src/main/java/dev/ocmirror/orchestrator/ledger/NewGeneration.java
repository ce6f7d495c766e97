package dev.ocmirror.orchestrator.ledger;

import java.time.Instant;

/** A generation about to be recorded, with what oc-mirror made it from. */
public record NewGeneration(String lineageId, int number, String configDigest, String configText, String ocMirrorVersion,
    String outcome, String storePath, Instant createdAt) {
}
