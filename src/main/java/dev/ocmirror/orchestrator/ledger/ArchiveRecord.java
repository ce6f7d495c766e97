package dev.ocmirror.orchestrator.ledger;

/** An archive file of a generation as ingested. */
public record ArchiveRecord(String fileName, long size, String sha256) {
}
