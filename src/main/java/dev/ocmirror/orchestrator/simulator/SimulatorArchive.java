package dev.ocmirror.orchestrator.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes and extracts archives in oc-mirror's layout and order (contract section 3). */
final class SimulatorArchive {

  private SimulatorArchive() {
  }

  record Entry(String name, Path file) {
  }

  /**
   * Builds the entries in oc-mirror's order: the whole repositories tree, the blobs not in history, the
   * working-dir, then the configuration as {@code isc_<timestamp>}.
   */
  static List<Entry> entries(SimulatorCache cache, Collection<String> blobs, Path workingDir, Path config, String timestamp)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(cache.repositories())) {
      walk.filter(Files::isRegularFile).sorted()
          .forEach(file -> entries.add(new Entry("docker/registry/v2/" + cache.repositories().getParent().relativize(file), file)));
    }
    for (String blob : blobs) {
      Path file = cache.blobFile(blob);
      entries.add(new Entry("docker/registry/v2/" + cache.repositories().getParent().relativize(file), file));
    }
    try (Stream<Path> walk = Files.walk(workingDir)) {
      walk.filter(Files::isRegularFile).sorted()
          .forEach(file -> entries.add(new Entry("working-dir/" + workingDir.relativize(file), file)));
    }
    entries.add(new Entry("isc_" + timestamp, config));
    return entries;
  }

  /**
   * Writes {@code mirror_000001.tar}, ... A new chunk starts when the next file would push the chunk's content
   * past {@code maxBytes}; a file larger than that goes alone into a chunk of its own (permissive mode).
   */
  static List<Path> write(Path directory, List<Entry> entries, long maxBytes, Consumer<String> warn) throws IOException {
    List<Path> chunks = new ArrayList<>();
    TarArchiveOutputStream tar = null;
    long inChunk = 0;
    try {
      for (Entry entry : entries) {
        long size = Files.size(entry.file());
        if (size > maxBytes) {
          warn.accept("Please consider updating archiveSize to at least " + ((size >> 30) + 1));
          Path alone = directory.resolve(String.format("mirror_%06d.tar", chunks.size() + 1));
          chunks.add(alone);
          try (TarArchiveOutputStream single = open(alone)) {
            add(single, entry, size);
          }
          continue;
        }
        if (tar == null || inChunk + size > maxBytes) {
          if (tar != null) {
            tar.close();
          }
          Path chunk = directory.resolve(String.format("mirror_%06d.tar", chunks.size() + 1));
          chunks.add(chunk);
          tar = open(chunk);
          inChunk = 0;
        }
        add(tar, entry, size);
        inChunk += size;
      }
    } catch (IOException | RuntimeException failed) {
      // The write's own error is what a person must read (a full disk), not the tar stream's complaint on closing.
      if (tar != null) {
        try {
          tar.close();
        } catch (IOException closing) {
          failed.addSuppressed(closing);
        }
      }
      throw failed;
    }
    if (tar != null) {
      tar.close();
    }
    return chunks;
  }

  private static TarArchiveOutputStream open(Path file) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  private static void add(TarArchiveOutputStream tar, Entry entry, long size) throws IOException {
    TarArchiveEntry header = new TarArchiveEntry(entry.name());
    header.setSize(size);
    tar.putArchiveEntry(header);
    Files.copy(entry.file(), tar);
    tar.closeArchiveEntry();
  }

  /** Extracts: entries containing working-dir under {@code directory}, docker/registry/v2 under the cache dir. */
  static void extract(Path archive, Path directory, Path cacheDirectory) throws IOException {
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        Path target;
        if (name.contains("working-dir")) {
          target = directory.resolve(name.substring(name.indexOf("working-dir")));
        } else if (name.contains("docker/registry/v2")) {
          target = cacheDirectory.resolve(".oc-mirror/.cache").resolve(name.substring(name.indexOf("docker/registry/v2")));
        } else {
          continue;
        }
        if (!target.normalize().startsWith(directory.normalize()) && !target.normalize().startsWith(cacheDirectory.normalize())) {
          throw new IOException("archive entry " + name + " points outside its directories");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          tar.transferTo(out);
        }
      }
    }
  }
}
