package dev.ocmirror.orchestrator.ledger;

import dev.ocmirror.orchestrator.integrity.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.TreeSet;

/**
 * The digest of a set of blobs: {@code sha256:} of their digests, sorted, one per line. Both sides of an air gap
 * compute it from their own records, so that a few characters prove that they agree on thousands of blobs.
 */
public final class BlobSets {

  private BlobSets() {
  }

  public static String digest(Collection<String> blobs) {
    StringBuilder lines = new StringBuilder();
    new TreeSet<>(blobs).forEach(blob -> lines.append(blob).append('\n'));
    return "sha256:" + Sha256.hex(lines.toString().getBytes(StandardCharsets.UTF_8));
  }
}
