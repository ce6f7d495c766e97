package dev.ocmirror.orchestrator.ledger;

import dev.ocmirror.orchestrator.remote.LocalHost;
import dev.ocmirror.orchestrator.remote.SshHost;
import dev.ocmirror.orchestrator.support.OtherJvm;
import dev.ocmirror.orchestrator.support.TestArchives;
import dev.ocmirror.orchestrator.support.TestPostgres;
import dev.ocmirror.orchestrator.support.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Three months of archives into the ledger, on H2 and on a real PostgreSQL, and the plans that follow. */
class LedgerIngestTest {

  @TempDir
  Path dir;

  static DataSource database(String kind) {
    DataSource dataSource;
    if (kind.equals("postgres")) {
      TestPostgres.recreateDatabase("orchestrator_ledger_it");
      dataSource = postgres();
    } else {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:ledger-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      dataSource = h2;
    }
    Flyway.configure().dataSource(dataSource).table("ledger_schema_history").load().migrate();
    return dataSource;
  }

  private static DataSource postgres() {
    PGSimpleDataSource postgres = new PGSimpleDataSource();
    postgres.setUrl(TestPostgres.url("orchestrator_ledger_it") + "?reWriteBatchedInserts=true");
    postgres.setUser(TestPostgres.user());
    postgres.setPassword(TestPostgres.password());
    return postgres;
  }

  /**
   * Ingests one archive as generation 1 of a lineage, in a JVM of its own that the test kills part-way; its database
   * sessions carry the given application name, so the test can see their transaction.
   */
  public static final class IngestOneArchive {
    public static void main(String[] args) {
      PGSimpleDataSource postgres = (PGSimpleDataSource) postgres();
      postgres.setApplicationName(args[2]);
      List<String> images = List.of(args).subList(3, args.length);
      new LedgerIngest(new Generations(postgres)).ingestCommitted(request(args[0], 1, Path.of(args[1]), images));
      System.out.println("ingested");
    }
  }

  @org.junit.jupiter.api.Test
  void anIngestKilledMidArchiveRecordsNothingAndTheNextAttemptRecordsTheGenerationOnce() throws Exception {
    DataSource database = database("postgres");
    TestArchives content = new TestArchives(5);
    String manifest = content.image("demo/big", "v1", content.randomBytes(160 << 20), content.randomBytes(96 << 20));
    Path archive = content.entry("isc_2026-01-01T00:00:00Z", "kind: ImageSetConfiguration\n")
        .write(Files.createDirectories(dir.resolve("gen-1")).resolve("mirror_000001.tar"));
    long size = Files.size(archive);
    String sha256 = dev.ocmirror.orchestrator.integrity.Sha256.hex(archive);
    String lineage = UUID.randomUUID().toString();

    Process ingest = ingestInAnotherJvm(lineage, archive, "ingest-killed-reading", List.of("demo/big:v1"));
    OtherJvm.killWhen(ingest, () -> {
      long read = OtherJvm.positionIn(ingest, archive);
      return read > 0 && read < size;
    }, "part-way through reading the archive", dir.resolve("ingest.log"));

    nothingRecordedThenOnce(database, lineage, archive, sha256, Map.of("demo/big:v1", manifest), 4);
  }

  /**
   * Killed while its transaction has written rows and not committed: the archive's description is recorded in one
   * transaction, which PostgreSQL rolls back when the connection of the dead process goes.
   */
  @org.junit.jupiter.api.Test
  void anIngestKilledMidTransactionRecordsNothingAndTheNextAttemptRecordsTheGenerationOnce() throws Exception {
    DataSource database = database("postgres");
    TestArchives content = new TestArchives(6);
    Map<String, String> images = new java.util.LinkedHashMap<>();
    for (int image = 0; image < 4000; image++) {
      byte[][] layers = new byte[10][];
      for (int layer = 0; layer < layers.length; layer++) {
        layers[layer] = content.randomBytes(64);
      }
      images.put("demo/app-" + image + ":v1", content.image("demo/app-" + image, "v1", layers));
    }
    Path archive = content.entry("isc_2026-01-01T00:00:00Z", "kind: ImageSetConfiguration\n")
        .write(Files.createDirectories(dir.resolve("gen-1")).resolve("mirror_000001.tar"));
    String sha256 = dev.ocmirror.orchestrator.integrity.Sha256.hex(archive);
    String lineage = UUID.randomUUID().toString();
    JdbcTemplate jdbc = new JdbcTemplate(database);

    Process ingest = ingestInAnotherJvm(lineage, archive, "ingest-killed-writing", List.copyOf(images.keySet()));
    // PostgreSQL gives a transaction its id when it first writes.
    OtherJvm.killWhen(ingest, () -> jdbc.queryForObject("select count(*) from pg_stat_activity where application_name ="
        + " 'ingest-killed-writing' and backend_xid is not null", Integer.class) > 0, "writing, not committed",
        dir.resolve("ingest.log"));
    Awaitility.await("the dead process's session to end").atMost(java.time.Duration.ofSeconds(30)).until(() -> jdbc
        .queryForObject("select count(*) from pg_stat_activity where application_name = 'ingest-killed-writing'",
            Integer.class) == 0);

    nothingRecordedThenOnce(database, lineage, archive, sha256, images, 4000 * 12);
  }

  private Process ingestInAnotherJvm(String lineage, Path archive, String applicationName, List<String> images) {
    List<String> arguments = new ArrayList<>(List.of(lineage, archive.toString(), applicationName));
    arguments.addAll(images);
    return OtherJvm.startMain(IngestOneArchive.class.getName(), arguments, dir.resolve("ingest.log"));
  }

  /** After the kill: nothing of the generation in the ledger; then one ingest records it, and a second is refused. */
  private static void nothingRecordedThenOnce(DataSource database, String lineage, Path archive, String sha256,
      Map<String, String> images, int blobs) {
    Generations generations = new Generations(database);
    JdbcTemplate jdbc = new JdbcTemplate(database);
    assertThat(generations.find(lineage, 1)).as("the generation after the kill").isEmpty();
    for (String table : List.of("ledger_blob", "ledger_archive", "ledger_archive_blob", "ledger_manifest_reference",
        "ledger_image")) {
      assertThat(jdbc.queryForObject("select count(*) from " + table, Integer.class)).as(table + " after the kill").isZero();
    }

    List<String> references = List.copyOf(images.keySet());
    LedgerIngest.Result result = new LedgerIngest(generations).ingestCommitted(request(lineage, 1, archive, references));
    assertThat(result.blobs()).isEqualTo(blobs);
    assertThat(generations.images(lineage, 1)).isEqualTo(new java.util.TreeMap<>(images));
    assertThat(generations.archives(lineage, 1)).singleElement().satisfies(recorded -> {
      assertThat(recorded.sha256()).as("the archive, untouched").isEqualTo(sha256);
      assertThat(recorded.size()).isEqualTo(archive.toFile().length());
    });
    assertThatThrownBy(() -> new LedgerIngest(generations).ingestCommitted(request(lineage, 1, archive, references)))
        .as("the same generation again").isInstanceOf(LedgerException.class).hasMessageContaining("out of sequence");
  }

  record Month(Path archive, Set<String> blobs) {
  }

  /** Builds three archives the way oc-mirror does: each omits blobs of its history and carries that history. */
  private List<Month> threeMonths() throws Exception {
    TestArchives content = new TestArchives(1);
    byte[] base = content.randomBytes(100_000);
    byte[] alphaLayer = content.randomBytes(3000);
    byte[] betaLayer = content.randomBytes(4000);
    byte[] gammaLayer = content.randomBytes(5000);
    List<Month> months = new ArrayList<>();
    Set<String> history = new HashSet<>();
    String[][] images = {{"demo/alpha"}, {"demo/alpha", "demo/beta"}, {"demo/alpha", "demo/beta", "demo/gamma"}};
    byte[][] layers = {alphaLayer, betaLayer, gammaLayer};
    for (int month = 0; month < 3; month++) {
      TestArchives archive = new TestArchives(1);
      for (int i = 0; i < images[month].length; i++) {
        archive.image(images[month][i], "v1", base, layers[i]);
      }
      if (!history.isEmpty()) {
        archive.history(history);
      }
      archive.omitting(history).entry("isc_2026-0" + (month + 1) + "-01T00:00:00Z", "kind: ImageSetConfiguration\n");
      Path file = archive.write(Files.createDirectories(dir.resolve("gen-" + (month + 1))).resolve("mirror_000001.tar"));
      Set<String> added = new HashSet<>();
      new ArchiveReader().read(file).blobs().forEach(blob -> added.add(blob.digest()));
      months.add(new Month(file, added));
      history.addAll(added);
    }
    return months;
  }

  private static LedgerIngest.Request request(String lineage, int number, Path archive, List<String> images) {
    return new LedgerIngest.Request(lineage, number, "kind: ImageSetConfiguration\n", "sha256:" + "c".repeat(64), "4.18.0",
        archive.getParent().toString(), new LocalHost(), List.of(archive.toString()), images, "olivia");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void threeMonthsRecordedAndAnEnclaveThatMissedMonthTwoIsPlannedTwoAndThree(String kind) throws Exception {
    DataSource database = database(kind);
    Generations generations = new Generations(database);
    Enclaves enclaves = new Enclaves(database);
    LedgerIngest ingest = new LedgerIngest(generations);
    List<Month> months = threeMonths();
    String lineage = UUID.randomUUID().toString();

    ingest.ingest(request(lineage, 1, months.get(0).archive(), List.of("demo/alpha:v1")));
    ingest.ingest(request(lineage, 2, months.get(1).archive(), List.of("demo/alpha:v1", "demo/beta:v1")));
    LedgerIngest.Result third = ingest.ingest(request(lineage, 3, months.get(2).archive(),
        List.of("demo/alpha:v1", "demo/beta:v1", "demo/gamma:v1")));
    assertThat(third.blobs()).isEqualTo(3);

    Map<Integer, GenerationContent> content = generations.lineageContent(lineage);
    assertThat(content).containsOnlyKeys(1, 2, 3);
    assertThat(content.get(2).archivedBlobs()).isEqualTo(months.get(1).blobs());
    Map<String, Long> needed = generations.neededBlobs(lineage, 3);
    assertThat(needed).hasSize(3 + 3 + 3 + 1);
    assertThat(needed.values()).doesNotContainNull();

    enclaves.recordImport("site-b", lineage, 1, Instant.now());
    TransferPlan plan = new TransferPlanner().plan("site-b", 3, content, needed.keySet(), needed,
        months.get(0).blobs(), enclaves.importedGenerations("site-b", lineage));
    assertThat(plan.verdict()).isEqualTo(TransferPlan.Verdict.PROVEN_COMPLETE);
    assertThat(plan.generations()).containsExactly(2, 3);
    assertThat(plan.bytes()).isEqualTo(Files.size(months.get(1).archive()) + Files.size(months.get(2).archive()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void refusesGenerationsOutOfSequenceAndArchivesOfAnotherLineage(String kind) throws Exception {
    DataSource database = database(kind);
    Generations generations = new Generations(database);
    Enclaves enclaves = new Enclaves(database);
    LedgerIngest ingest = new LedgerIngest(generations);
    List<Month> months = threeMonths();
    String lineage = UUID.randomUUID().toString();

    assertThatThrownBy(() -> ingest.ingest(request(lineage, 2, months.get(1).archive(), List.of())))
        .isInstanceOf(LedgerException.class).hasMessageContaining("out of sequence").hasMessageContaining("is new");
    ingest.ingest(request(lineage, 1, months.get(0).archive(), List.of("demo/alpha:v1")));
    assertThatThrownBy(() -> ingest.ingest(request(lineage, 3, months.get(2).archive(), List.of())))
        .isInstanceOf(LedgerException.class).hasMessageContaining("ends at generation 1, so the next is 2");

    // Month 3's archive carries the history of months 1 and 2; a lineage that has only month 1 never saw month 2.
    String other = UUID.randomUUID().toString();
    ingest.ingest(request(other, 1, months.get(0).archive(), List.of("demo/alpha:v1")));
    assertThatThrownBy(() -> ingest.ingest(request(other, 2, months.get(2).archive(), List.of("demo/gamma:v1"))))
        .isInstanceOf(LedgerException.class).hasMessageContaining("another lineage").hasMessageContaining("mirror_000001.tar");

    assertThatThrownBy(() -> ingest.ingest(request(lineage, 2, months.get(1).archive(), List.of("demo/delta:v1"))))
        .isInstanceOf(LedgerException.class).hasMessageContaining("demo/delta:v1");
    assertThat(generations.last(lineage)).contains(1);
  }

  @org.junit.jupiter.api.Test
  void ingestsArchivesWhereTheyLieOnARemoteMirrorHost() throws Exception {
    Generations generations = new Generations(database("h2"));
    List<Month> months = threeMonths();
    String lineage = UUID.randomUUID().toString();
    try (TestSshd sshd = TestSshd.start(dir.resolve("sshd")); SshHost mirrorHost = new SshHost(sshd.target())) {
      LedgerIngest.Result result = new LedgerIngest(generations).ingest(new LedgerIngest.Request(lineage, 1, "kind: ImageSetConfiguration\n",
          "sha256:" + "c".repeat(64), "4.18.0", months.get(0).archive().getParent().toString(), mirrorHost,
          List.of(months.get(0).archive().toString()), List.of("demo/alpha:v1"), "olivia"));
      ArchiveInventory local = new ArchiveReader().read(months.get(0).archive());
      assertThat(result.archives()).singleElement().satisfies(remote -> {
        assertThat(remote.sha256()).isEqualTo(local.sha256());
        assertThat(remote.blobs()).isEqualTo(local.blobs());
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void recordsATransferAndItsProgress(String kind) {
    DataSource database = database(kind);
    Generations generations = new Generations(database);
    Transfers transfers = new Transfers(database);
    String lineage = UUID.randomUUID().toString();
    generations.createLineage(lineage, "olivia", Instant.now());
    Instant created = Instant.parse("2026-11-23T10:00:00Z");
    transfers.record(new Transfer("t-1", "site-b", lineage, 3, List.of(2, 3), 11_500, null, TransferState.PLANNED,
        created, "olivia", null));
    transfers.moveTo("t-1", TransferState.STAGED, "a".repeat(64));
    assertThat(transfers.find("t-1")).get().satisfies(transfer -> {
      assertThat(transfer.generations()).containsExactly(2, 3);
      assertThat(transfer.state()).isEqualTo(TransferState.STAGED);
      assertThat(transfer.manifestSha256()).isEqualTo("a".repeat(64));
      assertThat(transfer.createdAt()).isEqualTo(created);
    });
    assertThat(new Enclaves(database).importedByEnclave(lineage)).containsEntry("site-b", Set.of());
    assertThatThrownBy(() -> transfers.moveTo("t-404", TransferState.STAGED)).hasMessageContaining("No transfer t-404");
    assertThat(transfers.find("t-404")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void theBlobsAGenerationNeedsAreFollowedOnceThroughSharedManifestsAndCycles(String kind) {
    Generations generations = new Generations(database(kind));
    String index = String.format("sha256:%064x", 1);
    String amd64 = String.format("sha256:%064x", 2);
    String arm64 = String.format("sha256:%064x", 3);
    String layer = String.format("sha256:%064x", 4);
    String loop = String.format("sha256:%064x", 5);
    List<ArchiveInventory.ArchivedBlob> blobs = List.of(index, amd64, arm64, layer, loop).stream()
        .map(digest -> new ArchiveInventory.ArchivedBlob(digest, 100)).toList();
    // Two platform manifests share a layer (a diamond); a manifest that names itself must not loop.
    ArchiveInventory archive = new ArchiveInventory("mirror_000001.tar", 1000, "e".repeat(64), 5, blobs, Map.of(),
        Map.of(index, List.of(amd64, arm64), amd64, List.of(layer), arm64, List.of(layer, loop), loop, List.of(loop)),
        Set.of(), "isc_x");
    String lineage = UUID.randomUUID().toString();
    generations.createLineage(lineage, "olivia", Instant.now());
    generations.record(new NewGeneration(lineage, 1, "sha256:" + "c".repeat(64), "kind: x", "4.18", "SUCCEEDED",
        "/store/1", Instant.now()), List.of(archive), Map.of("quay.io/a:v1", index, "quay.io/a@sha256-1", index));
    assertThat(generations.neededBlobs(lineage, 1)).containsOnlyKeys(index, amd64, arm64, layer, loop)
        .allSatisfy((digest, size) -> assertThat(size).isEqualTo(100L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void recordsAHundredThousandBlobsInBatches(String kind) {
    Generations generations = new Generations(database(kind));
    List<ArchiveInventory.ArchivedBlob> blobs = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      blobs.add(new ArchiveInventory.ArchivedBlob(String.format("sha256:%064x", i), i));
    }
    ArchiveInventory big = new ArchiveInventory("mirror_000001.tar", 1L << 35, "e".repeat(64), 100_000, blobs, Map.of(),
        Map.of(), Set.of(), "isc_x");
    String lineage = UUID.randomUUID().toString();
    generations.createLineage(lineage, "olivia", Instant.now());
    generations.record(new NewGeneration(lineage, 1, "sha256:" + "c".repeat(64), "kind: x", "4.18",
        "SUCCEEDED", "/store/1", Instant.now()), List.of(big), Map.of());
    assertThat(generations.lineageContent(lineage).get(1).archivedBlobs()).hasSize(100_000);
  }
}
