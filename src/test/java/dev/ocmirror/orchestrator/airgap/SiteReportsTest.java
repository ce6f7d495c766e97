package dev.ocmirror.orchestrator.airgap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.ledger.BlobSets;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.NewGeneration;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
import dev.ocmirror.orchestrator.ledger.ArchiveInventory;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site report crosses the gap as text a person can carry and is recorded only as the station signed it, for its
 * enclave, and newer than the last; it is proven when it names exactly the blobs the ledger knows.
 */
class SiteReportsTest {

  @TempDir
  Path dir;
  KeyPair station;
  Generations generations;
  Enclaves enclaves;
  SiteReportRecords records;
  SiteReports reports;
  String lineage = UUID.randomUUID().toString();
  Set<String> month1 = Set.of("sha256:" + "1".repeat(64), "sha256:" + "2".repeat(64));
  Set<String> month2 = Set.of("sha256:" + "3".repeat(64));

  @BeforeEach
  void connectedSide() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:reports-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(h2).table("ledger_schema_history").load().migrate();
    generations = new Generations(h2);
    enclaves = new Enclaves(h2);
    records = new SiteReportRecords(h2);
    generations.createLineage(lineage, "olivia", Instant.now());
    generation(1, month1);
    generation(2, month2);
    station = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path stationKey = dir.resolve("station.pub");
    java.nio.file.Files.writeString(stationKey, ManifestSignature.encodePem("PUBLIC KEY", station.getPublic().getEncoded()));
    LifecycleProperties.Enclave island = new LifecycleProperties.Enclave("island", null, null, null, null, null, null, null,
        null, null, null, null, null, LifecycleProperties.Reach.MEDIA, stationKey);
    LifecycleProperties.Enclave wired = new LifecycleProperties.Enclave("wired", null, null, null, null, null, null, null,
        null, null, null, null, null, null, null);
    reports = new SiteReports(new LifecycleProperties(null, null, null, null, null, null, List.of(island, wired)), generations,
        enclaves, records, new dev.ocmirror.orchestrator.ledger.Transfers(h2));
  }

  private void generation(int number, Set<String> blobs) {
    List<ArchiveInventory.ArchivedBlob> archived = blobs.stream().map(digest -> new ArchiveInventory.ArchivedBlob(digest, 10)).toList();
    generations.record(new NewGeneration(lineage, number, "sha256:" + "c".repeat(64), "kind: x", "4.18", "SUCCEEDED",
        "/store/" + number, Instant.now()), List.of(new ArchiveInventory("mirror_000001.tar", 100, "e".repeat(64), 1, archived,
        Map.of(), Map.of(), Set.of(), "isc_x")), Map.of());
  }

  private SiteReport report(String enclave, long number, List<Integer> imported, Set<String> cacheHolds, boolean complete) {
    return new SiteReport(SiteReport.SCHEMA_VERSION, enclave, number, Instant.parse("2026-12-01T10:00:00Z"), lineage,
        imported.stream().map(generation -> new SiteReport.ImportedGeneration(generation, Instant.parse("2026-12-01T09:00:00Z")))
            .toList(), BlobSets.digest(cacheHolds), complete, complete ? 0 : 1,
        List.of(new SiteReport.LiveCluster("prod", lineage, imported.get(imported.size() - 1), Instant.now(), false)),
        new SiteReport.Acknowledgement("t-" + number, (int) number, SiteReport.TransferOutcome.IMPORTED, null));
  }

  private String signed(SiteReport report, PrivateKey key) {
    return SiteReportText.write(report, key);
  }

  @Test
  void aReportIsAFewLinesThatSurviveBeingTypedAgain() {
    String text = signed(report("island", 1, List.of(1), month1, true), station.getPrivate());
    assertThat(text.lines().count()).isLessThan(20);
    assertThat(text.lines()).allMatch(line -> line.length() <= 53);
    String retyped = text.toUpperCase().replace("-----BEGIN OCMIRROR SITE REPORT-----", SiteReportText.BEGIN);
    assertThatThrownBy(() -> SiteReportText.read(retyped)).isInstanceOf(SiteReportText.Unreadable.class)
        .hasMessageContaining("Line 1 of the report was mistyped");
    String reindented = text.lines().map(line -> "   " + line + "  ").reduce("", (a, b) -> a + b + "\r\n");
    assertThat(SiteReportText.read(reindented).report().reportNumber()).isEqualTo(1);
  }

  @Test
  void aProvenReportAdvancesTheEnclavesLedgerState() {
    Set<String> both = new java.util.HashSet<>(month1);
    both.addAll(month2);
    SiteReportRecords.RecordedReport recorded = reports.record("island", signed(report("island", 1, List.of(1, 2), both, true),
        station.getPrivate()), "olivia");
    assertThat(recorded.proven()).isTrue();
    assertThat(recorded.transferOutcome()).isEqualTo("IMPORTED");
    assertThat(enclaves.importedGenerations("island", lineage)).containsExactlyInAnyOrder(1, 2);
    assertThat(records.latest("island")).get().satisfies(latest -> assertThat(latest.recordedBy()).isEqualTo("olivia"));
  }

  @Test
  void aLostCacheIsRecordedButNotProven() {
    SiteReportRecords.RecordedReport recorded = reports.record("island", signed(report("island", 1, List.of(1, 2), month1, false),
        station.getPrivate()), "olivia");
    assertThat(recorded.proven()).isFalse();
    assertThat(recorded.cacheComplete()).isFalse();
  }

  @Test
  void tamperedForeignReplayedAndMisdirectedReportsAreRefusedEachWithItsReason() throws Exception {
    String good = signed(report("island", 2, List.of(1), month1, true), station.getPrivate());
    KeyPair other = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThatThrownBy(() -> reports.record("island", signed(report("island", 2, List.of(1), month1, true), other.getPrivate()),
        "olivia")).isInstanceOf(SiteReportRefused.class).hasMessageContaining("not signed by the receiving station of island");

    SiteReportText.Signed parsed = SiteReportText.read(good);
    SiteReport changed = new SiteReport(1, "island", 2, parsed.report().createdAt(), lineage,
        List.of(new SiteReport.ImportedGeneration(1, Instant.now()), new SiteReport.ImportedGeneration(2, Instant.now())),
        parsed.report().cacheBlobSetDigest(), true, 0, List.of(), null);
    String forged = good.replace(good.substring(good.indexOf('\n') + 1, good.indexOf(SiteReportText.SIGNATURE)),
        signed(changed, other.getPrivate()).lines().skip(1).takeWhile(line -> !line.equals(SiteReportText.SIGNATURE))
            .reduce("", (a, b) -> a + b + "\n"));
    assertThatThrownBy(() -> reports.record("island", forged, "olivia")).hasMessageContaining("changed after it was signed");

    assertThatThrownBy(() -> reports.record("wired", good, "olivia")).hasMessage("This report is from enclave island, not wired.");
    assertThatThrownBy(() -> reports.record(null, signed(report("wired", 3, List.of(1), month1, true), station.getPrivate()),
        "olivia")).hasMessage("This report is from enclave wired, which is not an enclave reached by media here.");

    reports.record("island", good, "olivia");
    assertThatThrownBy(() -> reports.record("island", good, "oscar")).isInstanceOf(SiteReportRefused.class)
        .hasMessage("Report 2 of island is not newer than report 2 already recorded: it is a replay or an old report.");
    assertThatThrownBy(() -> reports.record("island", signed(report("island", 1, List.of(1), month1, true), station.getPrivate()),
        "oscar")).hasMessageContaining("is not newer than report 2");
    assertThatThrownBy(() -> reports.record("island", "hello", "oscar")).isInstanceOf(SiteReportRefused.class)
        .hasMessageContaining("This is not a site report");
  }
}
