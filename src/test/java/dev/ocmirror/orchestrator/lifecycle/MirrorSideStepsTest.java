package dev.ocmirror.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connected side's steps on a local mirror host and an H2 ledger: configuration, recording, retention. */
class MirrorSideStepsTest {

  @TempDir
  Path dir;
  StepBench bench;
  PrepareConfiguration prepare;

  @BeforeEach
  void site() {
    bench = new StepBench(dir);
    prepare = new PrepareConfiguration(bench.properties, bench.generations, bench.enclaves);
  }

  @Test
  void anInvalidConfigurationNeedsADecisionNamingEveryProblem() {
    assertThatThrownBy(() -> prepare.prepare(StepBench.config(1) + "  grpah: true\n", true))
        .isInstanceOfSatisfying(DecisionNeeded.class, decision -> {
          assertThat(decision.reason()).isEqualTo(DecisionNeeded.Reason.CONFIGURATION_INVALID);
          assertThat(decision.details()).contains("grpah");
        });
  }

  @Test
  void anUpdateBeforeAnyBaselineNeedsOne() {
    assertThatThrownBy(() -> prepare.prepare(StepBench.config(1), false))
        .isInstanceOfSatisfying(DecisionNeeded.class, decision ->
            assertThat(decision.reason()).isEqualTo(DecisionNeeded.Reason.NO_BASELINE));
  }

  @Test
  void aBaselineStartsALineageAndAnUpdateContinuesItWithTheChange() {
    PrepareConfiguration.Prepared baseline = prepare.prepare(StepBench.config(1), true);
    assertThat(baseline.generation()).isEqualTo(1);
    assertThat(baseline.diffSummary()).contains("1 additional image(s)");
    assertThat(bench.enclaves.importedByEnclave(baseline.lineage())).containsOnlyKeys(StepBench.ENCLAVE);

    bench.mirrorMonths(baseline.lineage(), 1);
    PrepareConfiguration.Prepared update = prepare.prepare(StepBench.config(2), false);
    assertThat(update.lineage()).isEqualTo(baseline.lineage());
    assertThat(update.generation()).isEqualTo(2);
    assertThat(update.configChanged()).isTrue();
    assertThat(update.diffSummary()).contains("quay.io/demo/app:v2");
    assertThat(prepare.prepare(StepBench.config(1), false).configChanged()).as("the same configuration again").isFalse();
  }

  @Test
  void aScheduledUpdateMirrorsTheNewestGenerationsConfigurationUnlessAFileIsConfigured() throws Exception {
    assertThat(prepare.scheduledConfiguration()).isEmpty();
    bench.mirrorMonths(UUID.randomUUID().toString(), 2);
    assertThat(prepare.scheduledConfiguration()).contains(StepBench.config(2));

    Path file = Files.writeString(dir.resolve("scheduled.yaml"), StepBench.config(3));
    LifecycleProperties fromFile = new LifecycleProperties(bench.properties.mirror(), bench.properties.media(),
        bench.properties.signing(), bench.properties.approval(), bench.properties.worker(),
        new LifecycleProperties.Update(null, file), bench.properties.enclaves());
    assertThat(new PrepareConfiguration(fromFile, bench.generations, bench.enclaves).scheduledConfiguration())
        .contains(StepBench.config(3));
  }

  @Test
  void aStoreWhoseDiskIsFullAfterMirrorToDiskStillTakesTheArchivesWholeByRename() throws Exception {
    try (dev.ocmirror.orchestrator.support.SmallDisk disk = dev.ocmirror.orchestrator.support.SmallDisk.mount(dir.resolve("mirror"),
        1024 * 1024)) {
      Files.createDirectories(dir.resolve("mirror/runs"));
      String lineage = UUID.randomUUID().toString();
      bench.mirrorMonths(lineage, 1, () -> {
        try {
          Files.write(disk.path().resolve("ballast"), new byte[(int) disk.free()]);
          assertThat(disk.free()).as("the disk is full").isLessThan(4096);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(bench.generations.last(lineage)).contains(1);
      for (dev.ocmirror.orchestrator.ledger.ArchiveRecord archive : bench.generations.archives(lineage, 1)) {
        Path stored = Path.of(bench.generations.find(lineage, 1).orElseThrow().storePath(), archive.fileName());
        assertThat(dev.ocmirror.orchestrator.integrity.Sha256.hex(stored)).as("whole in the store").isEqualTo(archive.sha256());
      }
    }
  }

  @Test
  void recordingMovesTheArchivesIntoTheStoreOnceAndRetentionKeepsWhatRollbackNeeds() {
    String lineage = UUID.randomUUID().toString();
    bench.mirrorMonths(lineage, 3);
    assertThat(bench.generations.last(lineage)).contains(3);
    assertThat(Path.of(bench.properties.mirror().workspace(lineage), "mirror_000001.tar")).doesNotExist();
    assertThat(bench.generations.images(lineage, 3)).containsOnlyKeys("demo/app:v1", "demo/app:v2", "demo/app:v3");

    // Nothing was ever imported anywhere, so no archive may go; a repeat of the step records nothing twice.
    RecordGeneration record = new RecordGeneration(bench.properties, bench.hosts, bench.generations, bench.enclaves);
    RecordGeneration.Recorded again = record.record(lineage, 3, StepBench.config(3), "4.18.0", StepBench.REQUESTER);
    assertThat(again.archives()).isEqualTo(1);
    assertThat(again.images()).isEqualTo(3);
    assertThat(again.deletedByRetention()).isEmpty();

    // Once the enclave holds all three, only the newest stays (keep-for-rollback 1): nobody lacks the others.
    for (int month = 1; month <= 3; month++) {
      bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, month, java.time.Instant.now());
    }
    assertThat(record.record(lineage, 3, StepBench.config(3), "4.18.0", StepBench.REQUESTER).deletedByRetention())
        .containsExactly(1, 2);
    assertThat(bench.generations.find(lineage, 1).orElseThrow().archivesDeleted()).isTrue();
    assertThat(bench.generations.find(lineage, 3).orElseThrow().archivesDeleted()).isFalse();
  }

  @Test
  void archivesTheLedgerRefusesNeedADecisionNotARetry() throws Exception {
    String lineage = UUID.randomUUID().toString();
    Path workspace = Files.createDirectories(Path.of(bench.properties.mirror().workspace(lineage)));
    Files.write(workspace.resolve("mirror_000001.tar"), new byte[1024]);
    Files.writeString(Path.of(bench.properties.mirror().mappingFile(lineage, 1)), "");
    RecordGeneration record = new RecordGeneration(bench.properties, bench.hosts, bench.generations, bench.enclaves);
    assertThatThrownBy(() -> record.record(lineage, 1, StepBench.config(1), "4.18.0", StepBench.REQUESTER))
        .isInstanceOfSatisfying(DecisionNeeded.class, decision -> {
          assertThat(decision.reason()).isEqualTo(DecisionNeeded.Reason.MIRROR_FAILED);
          assertThat(decision.getMessage()).contains("The ledger refused the archives of generation 1");
        });
    assertThat(bench.generations.last(lineage)).isEmpty();
  }

  @Test
  void aDryRunsMappingNamesTheImagesAsTheCacheDoes() {
    assertThat(MirrorToDisk.mappingImages("docker://quay.io/demo/app:v1=docker://localhost:55000/demo/app:v1\n\n"
        + "docker://quay.io/demo/app@sha256:" + "a".repeat(64) + "=docker://localhost:55000/demo/app:sha256-" + "a".repeat(64)))
        .isEqualTo(List.of("demo/app:v1", "demo/app:sha256-" + "a".repeat(64)));
    assertThatThrownBy(() -> MirrorToDisk.mappingImages("what is this")).hasMessageContaining("mapping.txt");
  }
}
