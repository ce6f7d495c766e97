package dev.ocmirror.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorSettings;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.HostException;
import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.support.TestArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveStoreTest {

  @TempDir
  Path dir;

  @Test
  void storesGenerationsAppliesRetentionAndPlansNoLongerCountOnDeletedArchives() throws Exception {
    LocalHost host = new LocalHost();
    OcMirrorClient client = new OcMirrorClient(host, OcMirrorSettings.of("/usr/bin/oc-mirror", dir.resolve("runs").toString()));
    ArchiveStore store = new ArchiveStore(host, dir.resolve("store").toString());
    javax.sql.DataSource database = LedgerIngestTest.database("h2");
    Generations generations = new Generations(database);
    Enclaves enclaves = new Enclaves(database);
    LedgerIngest ingest = new LedgerIngest(generations);
    String lineage = UUID.randomUUID().toString();
    Path workspace = Files.createDirectories(dir.resolve("workspace"));

    Set<String> history = new HashSet<>();
    Set<String> firstBlobs = new HashSet<>();
    for (int month = 1; month <= 3; month++) {
      TestArchives archive = new TestArchives(month);
      archive.image("demo/app", "v" + month, archive.randomBytes(2000 * month));
      if (!history.isEmpty()) {
        archive.history(history);
      }
      archive.write(workspace.resolve("mirror_000001.tar"));
      List<FileEntry> stored = store.receive(client, workspace.toString(), lineage, month);
      assertThat(stored).extracting(FileEntry::path)
          .containsExactly(store.generationDirectory(lineage, month) + "/mirror_000001.tar");
      Path file = Path.of(stored.get(0).path());
      ingest.ingest(new LedgerIngest.Request(lineage, month, "kind: ImageSetConfiguration\n", "sha256:" + "c".repeat(64), "4.18",
          file.getParent().toString(), host, List.of(file.toString()), List.of("demo/app:v" + month), "olivia"));
      new ArchiveReader().read(file).blobs().forEach(blob -> history.add(blob.digest()));
      if (month == 1) {
        firstBlobs.addAll(history);
      }
    }
    enclaves.recordImport("site-a", lineage, 1, Instant.now());
    enclaves.recordImport("site-a", lineage, 2, Instant.now());
    enclaves.recordImport("site-b", lineage, 1, Instant.now());

    assertThat(store.applyRetention(lineage, new Retention(1), generations, enclaves)).containsExactly(1);
    assertThat(store.archives(lineage, 1)).isEmpty();
    assertThat(Path.of(store.generationDirectory(lineage, 1))).doesNotExist();
    assertThat(store.archives(lineage, 2)).hasSize(1);
    assertThat(store.applyRetention(lineage, new Retention(1), generations, enclaves)).as("already applied").isEmpty();

    Map<Integer, GenerationContent> content = generations.lineageContent(lineage);
    assertThat(content.get(1).archivesAvailable()).isFalse();
    Map<String, Long> needed = Map.of(firstBlobs.iterator().next(), 1L);
    TransferPlan lostCache = new TransferPlanner().plan("site-b", 3, content, needed.keySet(), needed, Set.of(), Set.of(1));
    assertThat(lostCache.verdict()).isEqualTo(TransferPlan.Verdict.NOT_PROVABLE);
    assertThat(lostCache.reasons().get(0)).contains("deleted by retention");

    // A node dies after retention recorded a deletion and before it deleted: the step's transaction rolls back, the
    // record stays (no plan counts on archives about to go), and the next retention deletes what was left.
    enclaves.recordImport("site-b", lineage, 2, Instant.now());
    new org.springframework.transaction.support.TransactionTemplate(
        new org.springframework.jdbc.datasource.DataSourceTransactionManager(database)).executeWithoutResult(step -> {
          generations.markArchivesDeleted(lineage, 2);
          step.setRollbackOnly();
        });
    assertThat(generations.lineageContent(lineage).get(2).archivesAvailable()).as("recorded despite the rollback").isFalse();
    assertThat(store.archives(lineage, 2)).as("left by the dead node").hasSize(1);
    assertThat(store.applyRetention(lineage, new Retention(1), generations, enclaves)).as("nothing new to let go").isEmpty();
    assertThat(Path.of(store.generationDirectory(lineage, 2))).as("the leftover").doesNotExist();
    assertThat(store.archives(lineage, 3)).as("the newest, kept").hasSize(1);
  }

  @Test
  void aGenerationIsWrittenOnceAndNeedsArchives() throws Exception {
    LocalHost host = new LocalHost();
    OcMirrorClient client = new OcMirrorClient(host, OcMirrorSettings.of("/usr/bin/oc-mirror", dir.resolve("runs").toString()));
    ArchiveStore store = new ArchiveStore(host, dir.resolve("store").toString());
    String lineage = UUID.randomUUID().toString();
    Path workspace = Files.createDirectories(dir.resolve("workspace"));
    assertThatThrownBy(() -> store.receive(client, workspace.toString(), lineage, 1))
        .isInstanceOf(HostException.class).hasMessageContaining("No mirror_*.tar");
    new TestArchives().entry("isc_x", "x").write(workspace.resolve("mirror_000001.tar"));
    store.receive(client, workspace.toString(), lineage, 1);
    new TestArchives().entry("isc_y", "y").write(workspace.resolve("mirror_000001.tar"));
    assertThatThrownBy(() -> store.receive(client, workspace.toString(), lineage, 1)).hasMessageContaining("written once");
    assertThatThrownBy(() -> store.generationDirectory("../etc", 1)).hasMessageContaining("lineage");
  }
}
