package dev.ocmirror.orchestrator.ledger;

import java.util.Set;

/**
 * What one generation's archives carry, as the ledger recorded it at ingest.
 *
 * @param archivedBlobs digests of the blobs in its archives (new against earlier generations)
 * @param archiveBytes total size of its archive files
 * @param archivesAvailable false once retention has deleted its archives: they can no longer be carried
 */
public record GenerationContent(int number, Set<String> archivedBlobs, long archiveBytes, boolean archivesAvailable) {

  public GenerationContent {
    archivedBlobs = Set.copyOf(archivedBlobs);
  }

  public GenerationContent(int number, Set<String> archivedBlobs, long archiveBytes) {
    this(number, archivedBlobs, archiveBytes, true);
  }
}
