package dev.ocmirror.orchestrator.ledger;

import dev.ocmirror.orchestrator.integrity.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.StandardOpenOption;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an oc-mirror archive once, streamed: hashes the whole file, lists every entry, hashes every blob and
 * checks it against the digest its path names, and resolves tags and manifests to the blobs images need.
 * Memory stays bounded whatever the archive's size: only small manifests and link files are held.
 */
public final class ArchiveReader {

  private static final Pattern BLOB = Pattern.compile("docker/registry/v2/blobs/sha256/([0-9a-f]{2})/([0-9a-f]{64})/data");
  private static final Pattern TAG_LINK = Pattern.compile(
      "docker/registry/v2/repositories/(.+)/_manifests/tags/([^/]+)/current/link");
  private static final Pattern HISTORY = Pattern.compile("working-dir/\\.history/\\.history-(.+)");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final int BUFFER = 256 << 10;
  /** Manifests and indexes are small; a blob above this is a layer and is only hashed. */
  private static final int MAX_MANIFEST = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  public ArchiveInventory read(Path archive) {
    String name = archive.getFileName().toString();
    try {
      return read(name, Files.size(archive), FileChannel.open(archive, StandardOpenOption.READ));
    } catch (IOException e) {
      throw new ArchiveDamagedException(name, "cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the archives of one generation. Each archive keeps two threads busy (file hash, then tar and blob
   * hashes), so {@code cores / 2} archives are read at a time: more would only make the threads take turns.
   */
  public List<ArchiveInventory> readAll(Host host, List<String> paths) {
    int parallel = Math.max(1, Math.min(paths.size(), Runtime.getRuntime().availableProcessors() / 2));
    ExecutorService readers = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<ArchiveInventory>> reads = new ArrayList<>();
      for (String path : paths) {
        reads.add(readers.submit(() -> read(host, path)));
      }
      List<ArchiveInventory> inventories = new ArrayList<>();
      for (Future<ArchiveInventory> read : reads) {
        inventories.add(read.get());
      }
      return inventories;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Reading archives was interrupted", e);
    } finally {
      readers.shutdownNow();
    }
  }

  /** Reads an archive where it lies, on the mirror host, streamed over that host's connection. */
  public ArchiveInventory read(Host host, String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    FileEntry entry = host.stat(path).orElseThrow(() -> new ArchiveDamagedException(name, "is missing on " + host.name()));
    return read(name, entry.size(), host.openChannel(path));
  }

  private ArchiveInventory read(String name, long size, ReadableByteChannel source) {
    if (size == 0) {
      throw new ArchiveDamagedException(name, "is empty (0 bytes); oc-mirror refuses empty chunks");
    }

    String fileSha256;
    List<ArchiveInventory.ArchivedBlob> blobs = new ArrayList<>();
    Map<String, String> tags = new TreeMap<>();
    Map<String, List<String>> manifests = new LinkedHashMap<>();
    TreeMap<String, Set<String>> histories = new TreeMap<>();
    String config = null;
    int entries = 0;
    String current = null;
    try (source; HashingFileStream hashed = new HashingFileStream(source, name);
        TarArchiveInputStream tar = new TarArchiveInputStream(hashed)) {
      TarArchiveEntry entry;
      byte[] buffer = new byte[BUFFER];
      while ((entry = tar.getNextEntry()) != null) {
        current = entry.getName();
        entries++;
        if (!entry.isFile()) {
          continue;
        }
        String path = current.startsWith("./") ? current.substring(2) : current;
        Matcher blob = BLOB.matcher(path);
        if (blob.matches()) {
          String hex = blob.group(2);
          if (!hex.startsWith(blob.group(1))) {
            throw new ArchiveDamagedException(name, "entry " + current + " is filed under the wrong prefix " + blob.group(1));
          }
          ByteArrayOutputStream small = entry.getSize() <= MAX_MANIFEST ? new ByteArrayOutputStream((int) entry.getSize()) : null;
          MessageDigest blobDigest = Sha256.newDigest();
          long read = copy(tar, buffer, blobDigest, small);
          if (read != entry.getSize()) {
            throw new ArchiveDamagedException(name, "entry " + current + " is truncated: " + read + " of " + entry.getSize() + " bytes");
          }
          String actual = Sha256.hex(blobDigest);
          if (!actual.equals(hex)) {
            throw new ArchiveDamagedException(name, "blob " + current + " is corrupted: its content hashes to sha256:" + actual);
          }
          String digest = "sha256:" + hex;
          blobs.add(new ArchiveInventory.ArchivedBlob(digest, read));
          if (small != null) {
            references(small.toByteArray()).ifPresent(refs -> manifests.put(digest, refs));
          }
          continue;
        }
        Matcher tag = TAG_LINK.matcher(path);
        Matcher history = HISTORY.matcher(path);
        if (tag.matches()) {
          String link = text(tar, 1024).trim();
          if (!DIGEST.matcher(link).matches()) {
            throw new ArchiveDamagedException(name, "tag link " + current + " holds '" + link + "', not a sha256 digest");
          }
          tags.put(tag.group(1) + ":" + tag.group(2), link);
        } else if (history.matches()) {
          Set<String> digests = new LinkedHashSet<>();
          for (String line : text(tar, Integer.MAX_VALUE).split("\n")) {
            if (DIGEST.matcher(line.trim()).matches()) {
              digests.add(line.trim());
            }
          }
          histories.put(history.group(1), digests);
        } else {
          if (path.startsWith("isc_")) {
            config = path;
          }
          drain(tar, buffer);
        }
      }
      current = null;
      if (entries == 0) {
        // What a failed or interrupted run leaves behind (4.16 writes a 1024-byte tar of nothing), or not a tar at all.
        throw new ArchiveDamagedException(name, "holds no entries: it is an empty tar or no tar archive at all");
      }
      // The tar trailer and padding belong to the file's hash too.
      drain(hashed, buffer);
      if (hashed.delivered() != size) {
        throw new ArchiveDamagedException(name, "changed while it was read: " + hashed.delivered() + " of " + size + " bytes");
      }
      fileSha256 = hashed.sha256();
    } catch (ArchiveDamagedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ArchiveDamagedException(name, (current == null ? "is not a readable tar archive" : "breaks off in entry " + current)
          + " (" + e.getMessage() + ")", e);
    }
    Set<String> history = histories.isEmpty() ? Set.of() : histories.lastEntry().getValue();
    return new ArchiveInventory(name, size, fileSha256, entries, List.copyOf(blobs),
        Map.copyOf(tags), Map.copyOf(manifests), Set.copyOf(history), config);
  }

  /** The digests a manifest or index refers to; empty when the blob is not one. */
  private static java.util.Optional<List<String>> references(byte[] content) {
    if (content.length == 0 || content[0] != '{') {
      return java.util.Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(content);
      if (!node.has("schemaVersion") || !(node.has("layers") || node.has("manifests"))) {
        return java.util.Optional.empty();
      }
      List<String> refs = new ArrayList<>();
      if (node.path("config").has("digest")) {
        refs.add(node.path("config").path("digest").asText());
      }
      for (String list : new String[] {"layers", "manifests"}) {
        node.path(list).forEach(item -> refs.add(item.path("digest").asText()));
      }
      return java.util.Optional.of(List.copyOf(refs));
    } catch (IOException notJson) {
      return java.util.Optional.empty();
    }
  }

  private static long copy(InputStream in, byte[] buffer, MessageDigest digest, ByteArrayOutputStream keep) throws IOException {
    long total = 0;
    int read;
    while ((read = in.read(buffer)) > 0) {
      digest.update(buffer, 0, read);
      if (keep != null) {
        keep.write(buffer, 0, read);
      }
      total += read;
    }
    return total;
  }

  private static String text(InputStream in, int max) throws IOException {
    byte[] bytes = in.readNBytes(max);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void drain(InputStream in, byte[] buffer) throws IOException {
    while (in.read(buffer) > 0) {
      // Reading is the point: the bytes pass through the file digest.
    }
  }
}
