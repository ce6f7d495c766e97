package dev.ocmirror.orchestrator.ledger;

import java.time.Instant;

/** What the ledger holds about one generation, apart from its blobs. */
public record GenerationRecord(String lineageId, int number, String configDigest, String configText, String ocMirrorVersion,
    String storePath, Instant createdAt, boolean archivesDeleted) {
}
