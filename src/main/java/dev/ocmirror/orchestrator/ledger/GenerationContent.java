package dev.ocmirror.orchestrator.ledger;

import java.util.Set;

/**
 * What one generation's archives carry, as the ledger recorded it at ingest.
 *
 * @param archivedBlobs digests of the blobs in its archives (new against earlier generations)
 * @param archiveBytes total size of its archive files
 */
public record GenerationContent(int number, Set<String> archivedBlobs, long archiveBytes) {

  public GenerationContent {
    archivedBlobs = Set.copyOf(archivedBlobs);
  }
}
