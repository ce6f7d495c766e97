package dev.ocmirror.orchestrator.ledger;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.HostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The versioned store of archives on the mirror host: {@code <root>/<lineage>/generation-NNNNNN/mirror_*.tar}.
 * Archives arrive by rename from the mirrorToDisk workspace right after a run (the next run would delete them)
 * and leave only by retention.
 */
public final class ArchiveStore {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ArchiveStore.class);

  private static final Pattern LINEAGE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Host host;
  private final String root;

  public ArchiveStore(Host host, String root) {
    if (root == null || !root.startsWith("/")) {
      throw new IllegalArgumentException("The archive store must be an absolute path, not '" + root + "'");
    }
    this.host = host;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  public String generationDirectory(String lineage, int number) {
    if (lineage == null || !LINEAGE.matcher(lineage).matches()) {
      throw new IllegalArgumentException("Not a lineage id (a lowercase UUID): '" + lineage + "'");
    }
    if (number < 1) {
      throw new IllegalArgumentException("Generations count from 1, not " + number);
    }
    return root + "/" + lineage + "/" + generationName(number);
  }

  /** A generation's directory name: in the store, on the media and on the import host alike. */
  public static String generationName(int number) {
    return String.format("generation-%06d", number);
  }

  /** Moves the archives a finished mirrorToDisk left in its workspace into the generation's directory. */
  public List<FileEntry> receive(OcMirrorClient client, String workspace, String lineage, int number) {
    String directory = generationDirectory(lineage, number);
    if (!client.archivesIn(directory).isEmpty()) {
      throw new HostException("Generation " + number + " of lineage " + lineage + " already has archives in " + directory
          + "; a generation is written once");
    }
    List<FileEntry> moved = client.moveArchivesToStore(workspace, directory);
    if (moved.isEmpty()) {
      throw new HostException("No mirror_*.tar in " + workspace + " on " + host.name() + " to store as generation " + number);
    }
    return moved;
  }

  public List<FileEntry> archives(String lineage, int number) {
    return host.list(generationDirectory(lineage, number)).stream()
        .filter(entry -> !entry.directory() && entry.name().matches("mirror_[0-9]{6}\\.tar"))
        .toList();
  }

  /**
   * Deletes the archives of every generation the retention rule lets go, recording each deletion in the ledger
   * first, so that no plan counts on them again, even if the node dies half-way; what a node that died left of a
   * generation the ledger no longer counts on is deleted too. Returns the generations deleted by this call's rule.
   */
  public List<Integer> applyRetention(String lineage, Retention retention, Generations generations, Enclaves enclaves) {
    Map<Integer, GenerationContent> content = generations.lineageContent(lineage);
    Map<String, Set<Integer>> imported = enclaves.importedByEnclave(lineage);
    List<Integer> deletable = retention.deletable(content.keySet(), imported).stream()
        .filter(number -> content.get(number).archivesAvailable())
        .toList();
    for (Integer number : deletable) {
      generations.markArchivesDeleted(lineage, number);
    }
    for (Integer number : deletable) {
      deleteDirectory(lineage, number);
    }
    for (GenerationContent generation : content.values()) {
      if (!generation.archivesAvailable() && !deletable.contains(generation.number())) {
        try {
          deleteDirectory(lineage, generation.number());
        } catch (HostException leftover) {
          // What a dead node left is tidied when it can be; it must not stop the generations to come.
          LOG.warn("Cannot delete what is left of generation {} of lineage {}: {}", generation.number(), lineage,
              leftover.getMessage());
        }
      }
    }
    return deletable;
  }

  private void deleteDirectory(String lineage, int number) {
    String directory = generationDirectory(lineage, number);
    if (host.stat(directory).isEmpty()) {
      return;
    }
    for (FileEntry archive : archives(lineage, number)) {
      host.delete(archive.path());
    }
    host.delete(directory);
  }
}
