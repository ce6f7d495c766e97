package dev.ocmirror.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.control.ControlRefused;
import dev.ocmirror.orchestrator.ledger.BlobSets;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.transfer.TransferManifest;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One enclave's delivery, step by step, on local hosts and an H2 ledger: plan, stage and sign, verify the receipt,
 * apply, close; each refusing what its control does not allow before it touches anything.
 */
class DeliveryStepsTest {

  @TempDir
  Path dir;
  StepBench bench;
  String lineage;
  List<Set<String>> archived;
  PlanTransfer plan;
  StageMedia stage;
  VerifyReceipt verify;
  CloseTransfer close;

  @BeforeEach
  void twoMonthsMirrored() {
    bench = new StepBench(dir);
    lineage = UUID.randomUUID().toString();
    archived = bench.mirrorMonths(lineage, 2);
    plan = new PlanTransfer(bench.properties, bench.hosts, bench.generations, bench.enclaves, bench.transfers, bench.reports,
        bench.controls);
    stage = new StageMedia(bench.properties, bench.hosts, bench.generations, bench.transfers, bench.controls);
    verify = new VerifyReceipt(bench.properties, bench.hosts, bench.transfers, bench.controls);
    close = new CloseTransfer(bench.transfers, bench.controls);
  }

  @Test
  void anEnclaveWhoseCacheHoldsMonthOneIsCarriedOnlyMonthTwo() {
    bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, 1, Instant.now());
    bench.cacheHolds(archived.get(0));
    String lifecycle = bench.lifecycle(StepBench.REQUESTER);

    PlanTransfer.Planned planned = plan.plan(StepBench.ENCLAVE, lineage, 2, lifecycle);

    assertThat(planned.provable()).isTrue();
    assertThat(planned.generations()).containsExactly(2);
    assertThat(planned.summary()).startsWith("PROVEN COMPLETE: carry generation(s) [2]").contains("Alternatives:");
    Transfer transfer = bench.transfers.get(planned.transferId());
    assertThat(transfer.state()).isEqualTo(TransferState.PLANNED);
    assertThat(transfer.createdBy()).isEqualTo(StepBench.REQUESTER);
    assertThat(transfer.lifecycleId()).isEqualTo(lifecycle);
  }

  @Test
  void anEnclaveThatLostItsCacheIsCarriedEveryGenerationAgainWhileTheStoreHasThem() {
    bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, 1, Instant.now());
    PlanTransfer.Planned planned = plan.plan(StepBench.ENCLAVE, lineage, 2, bench.lifecycle(StepBench.REQUESTER));
    assertThat(planned.provable()).isTrue();
    assertThat(planned.generations()).containsExactly(1, 2);
    assertThat(planned.summary()).contains("records generation 1 as imported, but").contains("carried again");

    bench.generations.markArchivesDeleted(lineage, 1);
    PlanTransfer.Planned afterRetention = plan.plan(StepBench.ENCLAVE, lineage, 2, bench.lifecycle(StepBench.REQUESTER));
    assertThat(afterRetention.provable()).isFalse();
    assertThat(afterRetention.summary()).startsWith("NOT PROVABLE").contains("deleted by retention").contains("NEW_BASELINE");
  }

  @Test
  void noPlanForALifecycleWithoutARecordedRequester() {
    assertThatThrownBy(() -> plan.plan(StepBench.ENCLAVE, lineage, 2, "started-past-its-start-event"))
        .isInstanceOf(ControlRefused.class);
    assertThat(bench.transfers.ofLifecycle("started-past-its-start-event")).isEmpty();
  }

  @Test
  void aRegistryThatDoesNotAnswerIsAFaultToRetryNotMissingImagesToImportAgain() {
    // The enclave's registry (registry.north.invalid) cannot be reached: nothing can be said about the images.
    CheckRegistry check = new CheckRegistry(bench.properties, bench.generations);
    assertThatThrownBy(() -> check.check(StepBench.ENCLAVE, lineage, 2, true))
        .isInstanceOf(IllegalStateException.class).isNotInstanceOf(DecisionNeeded.class)
        .hasMessageContaining("https://registry.north.invalid did not answer for 2 of 2 image(s) of generation 2")
        .hasMessageContaining("without importing again");
    assertThatThrownBy(() -> check.check(StepBench.ENCLAVE, lineage, 2, false)).as("a rollback's check alike")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void mediaAreStagedOnlyWithAnApprovalByAnotherThanTheRequesterAndThenSigned() throws Exception {
    Transfer transfer = planned();
    Path media = dir.resolve("media").resolve(transfer.id());
    assertThatThrownBy(() -> stage.stage(transfer.id())).isInstanceOf(ControlRefused.class);
    bench.decide(transfer, true, StepBench.REQUESTER);
    assertThatThrownBy(() -> stage.stage(transfer.id())).isInstanceOf(ControlRefused.class)
        .hasMessageContaining("who requested it");
    assertThat(media).doesNotExist();

    bench.decide(transfer, true, "carla");
    StageMedia.Staged staged = stage.stage(transfer.id());

    assertThat(staged.files()).isEqualTo(2);
    assertThat(media.resolve("generation-000001/mirror_000001.tar")).exists();
    assertThat(media.resolve("generation-000002/mirror_000001.tar")).exists();
    assertThat(Files.list(media).map(path -> path.getFileName().toString()))
        .contains("generation-000001", "generation-000002").anyMatch(name -> name.contains("manifest"));
    assertThat(bench.transfers.get(transfer.id()).state()).isEqualTo(TransferState.STAGED);
    assertThat(bench.transfers.get(transfer.id()).manifestSha256()).isEqualTo(staged.manifestSha256());
    assertThat(bench.records.custody(transfer.id())).extracting(ControlRecords.CustodyEvent::kind)
        .containsExactly(ControlRecords.CustodyKind.STAGED);
  }

  @Test
  void mediaTooSmallAreRefusedWithTheSpaceTheyLackAndNothingIsStagedOrSigned() throws Exception {
    Transfer transfer = planned();
    bench.decide(transfer, true, "carla");
    try (dev.ocmirror.orchestrator.support.SmallDisk disk = dev.ocmirror.orchestrator.support.SmallDisk.mount(dir.resolve("media"),
        16 * 1024)) {
      assertThatThrownBy(() -> stage.stage(transfer.id())).isInstanceOf(dev.ocmirror.orchestrator.transfer.MediaSpaceException.class)
          .hasMessageContaining("bytes free").hasMessageContaining("Nothing was copied");
      assertThat(bench.transfers.get(transfer.id()).state()).as("not staged").isEqualTo(TransferState.PLANNED);
      assertThat(bench.records.custody(transfer.id())).isEmpty();
    }
    assertThat(stage.stage(transfer.id()).files()).as("staged once there is space").isEqualTo(2);
  }

  @Test
  void theSignedManifestNamesThePrerequisitesAndWhatAStationNeedsToImport() throws Exception {
    bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, 1, Instant.now());
    bench.cacheHolds(archived.get(0));
    Transfer transfer = approvedAndStaged();
    assertThat(transfer.generations()).containsExactly(2);
    TransferManifest manifest = TransferManifest.parse(Files.readAllBytes(dir.resolve("media").resolve(transfer.id())
        .resolve(TransferManifest.FILE_NAME)));
    assertThat(manifest.schemaVersion()).isEqualTo(TransferManifest.SCHEMA_VERSION);
    assertThat(manifest.transferId()).isEqualTo(transfer.id());
    assertThat(manifest.prerequisites().requiredGenerations()).containsExactly(1);
    assertThat(manifest.prerequisites().blobSetDigest()).isEqualTo(BlobSets.digest(archived.get(0)));
    assertThat(manifest.prerequisites().sequence()).isEqualTo(transfer.sequence()).isPositive();
    assertThat(manifest.contentsOf(2)).get().satisfies(contents -> {
      assertThat(contents.configText()).isEqualTo(StepBench.config(2));
      assertThat(contents.images()).containsOnlyKeys("demo/app:v1", "demo/app:v2");
    });

    Transfer next = planned();
    assertThat(next.sequence()).as("the enclave's next transfer").isEqualTo(transfer.sequence() + 1);
  }

  @Test
  void receivedMediaAreVerifiedAgainstTheStagedManifestAndAnAlteredByteRejectsThem() throws Exception {
    Transfer transfer = approvedAndStaged();
    VerifyReceipt.Received received = verify.verify(transfer.id());
    assertThat(received.files()).isEqualTo(2);
    assertThat(bench.transfers.get(transfer.id()).state()).isEqualTo(TransferState.RECEIVED);

    Path archive = dir.resolve("media").resolve(transfer.id()).resolve("generation-000002/mirror_000001.tar");
    try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
      file.seek(600);
      int original = file.read();
      file.seek(600);
      file.write(original ^ 0xff);
    }
    assertThatThrownBy(() -> verify.verify(transfer.id())).isInstanceOfSatisfying(DecisionNeeded.class, decision -> {
      assertThat(decision.reason()).isEqualTo(DecisionNeeded.Reason.MEDIA_REJECTED);
      assertThat(decision.details()).contains("generation-000002/mirror_000001.tar");
    });
    assertThat(bench.transfers.get(transfer.id()).state()).isEqualTo(TransferState.REJECTED_AT_RECEIPT);
    assertThat(bench.records.custody(transfer.id())).extracting(ControlRecords.CustodyEvent::kind)
        .endsWith(ControlRecords.CustodyKind.VERIFICATION_FAILED);
  }

  @Test
  void aBrokenSealRejectsTheMediaBeforeAnythingIsRead() {
    assertThatThrownBy(() -> VerifyReceipt.refuseBrokenSeal("t-1", false)).isInstanceOfSatisfying(DecisionNeeded.class,
        decision -> assertThat(decision.reason()).isEqualTo(DecisionNeeded.Reason.MEDIA_REJECTED));
    VerifyReceipt.refuseBrokenSeal("t-1", true);
  }

  @Test
  void anImportStartsOnlyAfterAVerifiedReceiptByAnotherOperatorAndCopiesNothingBefore() {
    Transfer transfer = approvedAndStaged();
    ImportGeneration importGeneration = new ImportGeneration(bench.properties, bench.hosts, bench.generations, bench.enclaves,
        bench.transfers, bench.controls);
    OcMirrorStep.Purpose purpose = new OcMirrorStep.Purpose("delivery-1", StepBench.ENCLAVE, lineage, 2, null, 1,
        transfer.id(), 1);
    try (var host = importGeneration.openHost(purpose)) {
      var client = importGeneration.client(host, purpose);
      assertThatThrownBy(() -> importGeneration.start(client, "run-1", purpose)).isInstanceOf(ControlRefused.class)
          .hasMessageContaining("not handed over");
      bench.handOverAndReceive(transfer.id(), "olivia", "olivia");
      verify.verify(transfer.id());
      assertThatThrownBy(() -> importGeneration.start(client, "run-1", purpose)).isInstanceOf(ControlRefused.class)
          .hasMessageContaining("who handed the media over");
    }
    assertThat(Path.of(bench.north().importDirectory(lineage, 1))).doesNotExist();
  }

  @Test
  void aTransferClosesOnlyOnceEveryCarriedGenerationWasImported() {
    Transfer transfer = approvedAndStaged();
    assertThatThrownBy(() -> close.close(transfer.id())).isInstanceOf(ControlRefused.class)
        .hasMessageContaining("Generation(s) [1, 2]");
    bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, 1, Instant.now());
    bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, 2, Instant.now());
    close.close(transfer.id());
    assertThat(bench.transfers.get(transfer.id()).state()).isEqualTo(TransferState.IMPORTED);
  }

  @Test
  void aGenerationImportedAgainAfterALostCacheClosesTheTransferThatCarriedItAgain() {
    bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, 1, Instant.now().minusSeconds(30 * 24 * 3600));
    Transfer transfer = approvedAndStaged();
    assertThat(transfer.generations()).as("the cache is empty").containsExactly(1, 2);
    bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, 1, Instant.now());
    bench.enclaves.recordImport(StepBench.ENCLAVE, lineage, 2, Instant.now());
    close.close(transfer.id());
    assertThat(bench.transfers.get(transfer.id()).state()).isEqualTo(TransferState.IMPORTED);
  }

  @Test
  void clusterResourcesAreAppliedToEveryClusterAndRecordedARollbackOnlyAsApproved() throws Exception {
    Path resources = Files.createDirectories(Path.of(bench.north().importDirectory(lineage, 2), "working-dir/cluster-resources"));
    Files.writeString(resources.resolve("idms-oc-mirror.yaml"), "kind: ImageDigestMirrorSet\n");
    Files.writeString(resources.resolve("itms-oc-mirror.yaml"), "kind: ImageTagMirrorSet\n");
    Files.writeString(resources.resolve("README"), "not a resource");
    ApplyClusterResources apply = new ApplyClusterResources(bench.properties, bench.hosts, bench.applies, bench.controls);

    assertThat(apply.apply(StepBench.ENCLAVE, lineage, 2, "delivery-1", false))
        .containsExactly("prod: idms-oc-mirror.yaml, itms-oc-mirror.yaml", "dr: idms-oc-mirror.yaml, itms-oc-mirror.yaml");
    assertThat(Files.readAllLines(bench.ocApplyLog)).hasSize(4)
        .allMatch(line -> line.startsWith("apply --kubeconfig /etc/north/"))
        .anyMatch(line -> line.endsWith(resources.resolve("idms-oc-mirror.yaml").toString()));
    assertThat(bench.applies.history(StepBench.ENCLAVE)).extracting(applied -> applied.cluster() + "@" + applied.generation())
        .containsExactly("prod@2", "dr@2");

    assertThatThrownBy(() -> apply.apply(StepBench.ENCLAVE, lineage, 2, "rollback-1", true))
        .isInstanceOf(ControlRefused.class);
    assertThat(Files.readAllLines(bench.ocApplyLog)).as("nothing more applied").hasSize(4);
    assertThatThrownBy(() -> apply.apply(StepBench.ENCLAVE, lineage, 1, "delivery-1", false))
        .hasMessageContaining("No cluster resources");
  }

  private Transfer planned() {
    return bench.transfers.get(plan.plan(StepBench.ENCLAVE, lineage, 2, bench.lifecycle(StepBench.REQUESTER)).transferId());
  }

  private Transfer approvedAndStaged() {
    Transfer transfer = planned();
    bench.decide(transfer, true, "carla");
    stage.stage(transfer.id());
    return transfer;
  }
}
