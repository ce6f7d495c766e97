package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ledger.ArchiveDamagedException;
import dev.ocmirror.orchestrator.ledger.ArchiveRecord;
import dev.ocmirror.orchestrator.ledger.ArchiveStore;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.LedgerException;
import dev.ocmirror.orchestrator.ledger.LedgerIngest;
import dev.ocmirror.orchestrator.ledger.Retention;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.ocmirror.config.ImageSetConfigurationReader;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Moves a finished mirrorToDisk's archives into the store and records them as the next generation of the ledger,
 * then lets retention delete what no enclave and no rollback needs any more.
 */
public final class RecordGeneration {

  private final LifecycleProperties.Mirror mirror;
  private final Hosts hosts;
  private final Generations generations;
  private final Enclaves enclaves;
  private final ImageSetConfigurationReader reader = new ImageSetConfigurationReader();

  public RecordGeneration(LifecycleProperties properties, Hosts hosts, Generations generations, Enclaves enclaves) {
    this.mirror = properties.mirror();
    this.hosts = hosts;
    this.generations = generations;
    this.enclaves = enclaves;
  }

  public record Recorded(int archives, int blobs, long bytes, int images, List<Integer> deletedByRetention) {
  }

  /**
   * Safe to repeat: a generation the ledger already holds is reported, not recorded twice, and archives already
   * moved are found in the store.
   */
  public Recorded record(String lineage, int generation, String configText, String ocMirrorVersion, String requestedBy) {
    try (Host host = hosts.open(mirror.host())) {
      OcMirrorClient client = new OcMirrorClient(host, mirror.settings());
      ArchiveStore store = new ArchiveStore(host, mirror.archiveStore());
      if (generations.find(lineage, generation).isEmpty()) {
        String workspace = mirror.workspace(lineage);
        List<FileEntry> archives;
        if (!client.archivesIn(workspace).isEmpty()) {
          // Archives in the store that the ledger never recorded come from an attempt whose ingest failed.
          store.archives(lineage, generation).forEach(stale -> host.delete(stale.path()));
          archives = store.receive(client, workspace, lineage, generation);
        } else {
          archives = store.archives(lineage, generation);
          if (archives.isEmpty()) {
            throw new IllegalStateException("Generation " + generation + " of lineage " + lineage + " has no archives, neither in "
                + workspace + " nor in the store on " + host.name());
          }
        }
        List<String> images = MirrorToDisk.mappingImages(new String(host.read(mirror.mappingFile(lineage, generation),
            MirrorToDisk.MAX_MAPPING), StandardCharsets.UTF_8));
        String digest = ImageSetConfigurationReader.digest(reader.read(configText));
        LedgerIngest.Request request = new LedgerIngest.Request(lineage, generation, configText, digest, ocMirrorVersion,
            store.generationDirectory(lineage, generation), host, archives.stream().map(FileEntry::path).toList(), images,
            requestedBy);
        try {
          // Committed before retention looks: retention keeps the newest generations, and only a recorded one counts.
          new LedgerIngest(generations).ingestCommitted(request);
        } catch (LedgerException | ArchiveDamagedException refused) {
          // Retrying the same archives cannot help: the run must be repeated or a new baseline taken.
          throw new DecisionNeeded(DecisionNeeded.Reason.MIRROR_FAILED, "The ledger refused the archives of generation "
              + generation + ": " + refused.getMessage(), "Archives in " + store.generationDirectory(lineage, generation)
              + " on " + host.name());
        }
      }
      List<Integer> deleted = store.applyRetention(lineage, new Retention(mirror.keepForRollback()), generations, enclaves);
      List<ArchiveRecord> archives = generations.archives(lineage, generation);
      return new Recorded(archives.size(), generations.lineageContent(lineage).get(generation).archivedBlobs().size(),
          archives.stream().mapToLong(ArchiveRecord::size).sum(), generations.images(lineage, generation).size(), deleted);
    }
  }
}
