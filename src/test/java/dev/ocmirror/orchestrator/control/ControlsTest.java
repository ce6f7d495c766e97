package dev.ocmirror.orchestrator.control;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.control.ControlRecords.CustodyKind;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each guarantee refuses when its record is missing or wrong, and passes only on the full record. */
class ControlsTest {

  Enclaves enclaves;
  Transfers transfers;
  ControlRecords records;
  Controls controls;
  Transfer transfer;
  final String lifecycle = "lifecycle-1";

  @BeforeEach
  void database() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:controls-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(h2).table("ledger_schema_history").load().migrate();
    enclaves = new Enclaves(h2);
    transfers = new Transfers(h2);
    records = new ControlRecords(h2);
    controls = new Controls(records, enclaves);
    String lineage = UUID.randomUUID().toString();
    new Generations(h2).createLineage(lineage, "olivia", Instant.now());
    records.recordRequest(new ControlRecords.Request(lifecycle, "mirror-update", "olivia", Instant.now()));
    transfer = new Transfer("t-1", "north", lineage, 2, List.of(2), 4096, null, TransferState.PLANNED,
        Instant.now().minusSeconds(60), "olivia", lifecycle);
    transfers.record(transfer);
  }

  void decide(String subject, String digest, boolean approved, String who) {
    records.recordApproval(new ControlRecords.Approval(subject, digest, approved, who, Instant.now(), "c", "task"));
  }

  void custody(CustodyKind kind, String actor, String manifest) {
    records.recordCustody(new ControlRecords.CustodyEvent("t-1", kind, actor, Instant.now(), manifest, null));
  }

  @Test
  void stagingNeedsAnApprovalOfExactlyThisPlanByAnotherThanTheRequester() {
    assertThatThrownBy(() -> controls.requireApprovalToStage(transfer)).hasMessageContaining("No change manager has approved");
    decide("t-1", Controls.planDigest(transfer), true, "olivia");
    assertThatThrownBy(() -> controls.requireApprovalToStage(transfer)).hasMessageContaining("who requested it");
    decide("t-1", "0".repeat(64), true, "carla");
    assertThatThrownBy(() -> controls.requireApprovalToStage(transfer)).hasMessageContaining("for another plan");
    decide("t-1", Controls.planDigest(transfer), false, "carla");
    assertThatThrownBy(() -> controls.requireApprovalToStage(transfer)).hasMessageContaining("was rejected by carla");
    decide("t-1", Controls.planDigest(transfer), true, "carla");
    assertThatCode(() -> controls.requireApprovalToStage(transfer)).doesNotThrowAnyException();
  }

  @Test
  void aLifecycleWithoutARecordedRequesterCanBeApprovedByNobody() {
    Transfer orphan = new Transfer("t-1", "north", transfer.lineageId(), 2, List.of(2),
        4096, null, TransferState.PLANNED, transfer.createdAt(), null, "started-past-its-start-event");
    decide("t-1", Controls.planDigest(orphan), true, "carla");
    assertThatThrownBy(() -> controls.requireApprovalToStage(orphan)).hasMessageContaining("not started through its start event");
  }

  @Test
  void importNeedsTheStagedMediaHandedOverReceivedByAnotherOperatorAndVerified() {
    transfers.moveTo("t-1", TransferState.STAGED, "a".repeat(64));
    Transfer staged = transfers.get("t-1");
    assertThatThrownBy(() -> controls.requireVerifiedReceiptToImport(staged, false)).hasMessageContaining("No media staged");
    custody(CustodyKind.STAGED, null, "a".repeat(64));
    assertThatThrownBy(() -> controls.requireVerifiedReceiptToImport(staged, false)).hasMessageContaining("not handed over");
    custody(CustodyKind.HANDED_OVER, "olivia", "a".repeat(64));
    assertThatThrownBy(() -> controls.requireVerifiedReceiptToImport(staged, false)).hasMessageContaining("Nobody confirmed");
    custody(CustodyKind.RECEIVED, "olivia", null);
    custody(CustodyKind.VERIFIED, null, "a".repeat(64));
    assertThatThrownBy(() -> controls.requireVerifiedReceiptToImport(staged, false)).hasMessageContaining("who handed the media over");
    assertThatCode(() -> controls.requireVerifiedReceiptToImport(staged, true)).doesNotThrowAnyException();
    custody(CustodyKind.RECEIVED, "oscar", null);
    assertThatThrownBy(() -> controls.requireVerifiedReceiptToImport(staged, false)).hasMessageContaining("not verified");
    custody(CustodyKind.VERIFIED, null, "a".repeat(64));
    assertThatCode(() -> controls.requireVerifiedReceiptToImport(staged, false)).doesNotThrowAnyException();

    // Staged again (rejected media): everything after the old staging no longer counts.
    transfers.moveTo("t-1", TransferState.STAGED, "b".repeat(64));
    custody(CustodyKind.STAGED, null, "b".repeat(64));
    Transfer restaged = transfers.get("t-1");
    assertThatThrownBy(() -> controls.requireVerifiedReceiptToImport(restaged, false)).hasMessageContaining("not handed over");
    custody(CustodyKind.HANDED_OVER, "olivia", "b".repeat(64));
    custody(CustodyKind.SEAL_BROKEN, "oscar", null);
    assertThatThrownBy(() -> controls.requireVerifiedReceiptToImport(restaged, false)).hasMessageContaining("reported broken");
  }

  @Test
  void closingNeedsEveryCarriedGenerationImportedSinceThePlan() {
    assertThatThrownBy(() -> controls.requireImportedToClose(transfer)).hasMessageContaining("Generation(s) [2]");
    enclaves.recordImport("north", transfer.lineageId(), 2, Instant.now());
    assertThatCode(() -> controls.requireImportedToClose(transfer)).doesNotThrowAnyException();
  }

  @Test
  void aRollbackIsAppliedOnlyAsApprovedByAnotherThanItsRequester() {
    records.recordRequest(new ControlRecords.Request("rollback-1", "mirror-rollback", "olivia", Instant.now()));
    String digest = Controls.rollbackDigest("rollback-1", "north", transfer.lineageId(), 1);
    assertThatThrownBy(() -> controls.requireApprovalToRollBack("rollback-1", "north", transfer.lineageId(), 1))
        .hasMessageContaining("No change manager has approved rollback");
    decide("rollback-1", digest, true, "olivia");
    assertThatThrownBy(() -> controls.requireApprovalToRollBack("rollback-1", "north", transfer.lineageId(), 1))
        .hasMessageContaining("who requested it");
    decide("rollback-1", digest, true, "carla");
    assertThatThrownBy(() -> controls.requireApprovalToRollBack("rollback-1", "north", transfer.lineageId(), 2))
        .hasMessageContaining("another generation");
    assertThatCode(() -> controls.requireApprovalToRollBack("rollback-1", "north", transfer.lineageId(), 1))
        .doesNotThrowAnyException();
  }
}
