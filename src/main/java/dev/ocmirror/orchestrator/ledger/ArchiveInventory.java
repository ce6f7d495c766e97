package dev.ocmirror.orchestrator.ledger;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one {@code mirror_NNNNNN.tar} holds, learned in one streaming pass.
 *
 * @param sha256 hex SHA-256 of the whole file
 * @param blobs every blob file, its content checked against the digest in its path
 * @param tags {@code repo:tag} to manifest digest, from the repository link files
 * @param manifestReferences manifest or index digest to the digests it references (config, layers, children)
 * @param history digests of the newest {@code working-dir/.history/.history-*} in the archive: what oc-mirror had
 *     archived before this run (contract section 3: the archive carries the previous history)
 * @param imagesetConfigEntry name of the {@code isc_<timestamp>} entry, null when absent
 */
public record ArchiveInventory(
    String fileName,
    long size,
    String sha256,
    int entryCount,
    List<ArchivedBlob> blobs,
    Map<String, String> tags,
    Map<String, List<String>> manifestReferences,
    Set<String> history,
    String imagesetConfigEntry) {

  public record ArchivedBlob(String digest, long size) {
  }
}
