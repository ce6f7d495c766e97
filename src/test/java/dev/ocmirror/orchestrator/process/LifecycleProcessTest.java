package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.when;

import dev.ocmirror.orchestrator.lifecycle.CheckRegistry;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.StageMedia;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every path of the process models, each outcome provoked through the replaced domain steps. */
class LifecycleProcessTest extends MockedStepsTest {

  @org.springframework.beans.factory.annotation.Autowired
  dev.ocmirror.orchestrator.control.ControlRecords controlRecords;

  // --- the paths of mirror-update and enclave-delivery ---

  @Test
  void anApprovedUpdateIsCarriedReceivedImportedAndApplied() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");
    complete("cm", review, Map.of("approved", true, "reviewComment", "fine"));
    handOverAndReceive();
    completeExternal("oc-mirror-import", Map.of());
    runJobs();

    BpmnAwareTests.assertThat(update).isEnded().hasPassed("delivered");
    assertThat(passed(update, "enclave-delivery")).contains("stageMedia", "verifyReceipt", "verifyRegistry",
        "applyClusterResources", "closeTransfer", "enclaveUpdated");
    assertThat(historicVariable(update, "enclave-delivery", "approver")).isEqualTo("cm");
    String transferId = (String) historicVariable(update, "enclave-delivery", "transferId");
    assertThat(controlRecords.latestHandover(transferId)).get().satisfies(handover -> {
      assertThat(handover.mediaId()).isEqualTo("USB-0042");
      assertThat(handover.sealNumber()).isEqualTo("S-991");
      assertThat(handover.actor()).isEqualTo("op");
    });
  }

  @Test
  void aRejectedTransferNeedsAReasonAndEndsWithoutCarryingAnything() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");
    assertThatThrownBy(() -> complete("cm", review, Map.of("approved", false)))
        .hasMessageContaining("a rejection needs a comment that says why");
    complete("cm", review, Map.of("approved", false, "reviewComment", "not this month"));
    runJobs();

    BpmnAwareTests.assertThat(update).isEnded();
    assertThat(passed(update, "enclave-delivery")).contains("transferRejected").doesNotContain("stageMedia");
  }

  @Test
  void theRequesterCanNeitherSeeNorClaimNorCompleteTheApproval() {
    start("mirror-update", "both");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");

    identity.setAuthentication("both", List.of("operators", "change-managers"));
    assertThat(tasks.createTaskQuery().taskDefinitionKey("reviewTransfer").count()).isZero();
    assertThatThrownBy(() -> tasks.claim(review.getId(), "both")).isInstanceOf(RuntimeException.class);
    identity.clearAuthentication();
    // Even with the authorizations out of the way, the listener refuses the requester.
    assertThatThrownBy(() -> tasks.setAssignee(review.getId(), "both"))
        .hasMessage("You requested this transfer, so another change manager must approve it.");
    engine.getProcessEngineConfiguration().setAuthorizationEnabled(false);
    identity.setAuthentication("both", List.of("operators", "change-managers"));
    try {
      assertThatThrownBy(() -> tasks.complete(review.getId(), Map.of("approved", true)))
          .hasMessage("You requested this transfer, so another change manager must approve it.");
    } finally {
      identity.clearAuthentication();
      engine.getProcessEngineConfiguration().setAuthorizationEnabled(true);
    }
    complete("cm", review, Map.of("approved", true));
    assertThat(tasks.createTaskQuery().taskDefinitionKey("signOffHandover").count()).isZero();
    runJobs();
    assertThat(tasks.createTaskQuery().taskDefinitionKey("signOffHandover").count()).isOne();
  }

  @Test
  void aPlanThatCannotBeProvenCannotBeApproved() {
    org.mockito.Mockito.doAnswer(planned(false, "NOT PROVABLE: cache lost")).when(planTransfer)
        .plan(anyString(), anyString(), anyInt(), anyString());
    start("mirror-update", "op");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");
    assertThatThrownBy(() -> complete("cm", review, Map.of("approved", true)))
        .hasMessageContaining("cannot be proven complete");
  }

  @Test
  void aCompletionMayChangeOnlyTheTasksOwnFields() {
    org.mockito.Mockito.doAnswer(planned(false, "NOT PROVABLE: cache lost")).when(planTransfer)
        .plan(anyString(), anyString(), anyInt(), anyString());
    start("mirror-update", "op");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");
    assertThatThrownBy(() -> complete("cm", review, Map.of("approved", true, "planProvable", true,
        "carryGenerations", "3")))
        .hasMessageContaining("planProvable is not a field of this task")
        .hasMessageContaining("carryGenerations is not a field of this task");
    assertThatThrownBy(() -> complete("cm", review, Map.of("approved", false, "reviewComment", "no", "approver", "someone")))
        .hasMessageContaining("approver is not a field of this task");
    complete("cm", review, Map.of("approved", false, "reviewComment", "cache lost: take a baseline"));
  }

  @Test
  void theRequesterIsWhoeverIsSignedInWhateverTheStartClaims() {
    ProcessInstance update = as("op", () -> runtime.startProcessInstanceByKey("mirror-update",
        Map.of("imagesetConfig", CONFIG, "requestedBy", "cm")));
    assertThat(runtime.getVariable(update.getId(), "requestedBy")).isEqualTo("op");
    assertThatThrownBy(() -> start("mirror-baseline", "op")).hasMessageContaining("one baseline or update runs at a time");
  }

  @Test
  void aSecondLifecycleStartedPastItsStartEventBuildsNothingWhileOneRuns() {
    start("mirror-update", "op");
    runJobs();
    identity.setAuthentication("root-admin", List.of("admins", "camunda-admin"));
    ProcessInstance second;
    try {
      second = runtime.createProcessInstanceByKey("mirror-update").setVariable("imagesetConfig", CONFIG)
          .startBeforeActivity("buildGeneration").execute(true, false);
    } finally {
      identity.clearAuthentication();
    }
    assertThatThrownBy(this::runJobs).hasMessageStartingWith("Not building a generation");
    String generation = history.createHistoricProcessInstanceQuery().superProcessInstanceId(second.getId()).singleResult()
        .getId();
    assertThat(runtime.createIncidentQuery().processInstanceId(generation).activityId("prepareConfiguration").singleResult()
        .getIncidentMessage()).startsWith("Not building a generation: lifecycle ");
    org.mockito.Mockito.verify(prepareConfiguration, org.mockito.Mockito.times(1)).prepare(anyString(), anyBoolean());
  }

  @Test
  void handoverAndReceiptValuesAreCheckedOnTheServer() {
    start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    runJobs();
    Task handover = task("signOffHandover");
    assertThatThrownBy(() -> complete("op", handover, Map.of("mediaId", "USB 42; rm -rf /", "sealNumber", "", "courier", " ")))
        .hasMessageContaining("mediaId").hasMessageContaining("sealNumber").hasMessageContaining("courier");
    complete("op", handover, Map.of("mediaId", "USB-0042", "sealNumber", "S-991", "courier", "Dana"));
    Task receipt = task("confirmReceipt");
    // The refusal names the field, never the value handed over: the receiver must read it off the media.
    assertThatThrownBy(() -> complete("op2", receipt, Map.of("sealIntact", true, "receivedMediaId", "USB-0043",
        "receivedSealNumber", "S-991"))).hasMessageContaining("receivedMediaId").hasMessageContaining("does not match")
        .hasMessageNotContaining("USB-0042").hasMessageNotContaining("receivedSealNumber");
    assertThatThrownBy(() -> complete("op2", receipt, Map.of("receivedMediaId", "USB-0042")))
        .hasMessageContaining("sealIntact");
    // Whoever handed the media over neither sees nor confirms their receipt, even past the authorizations.
    Map<String, Object> matching = Map.of("sealIntact", true, "receivedMediaId", "USB-0042", "receivedSealNumber", "S-991");
    as("op", () -> assertThat(tasks.createTaskQuery().taskDefinitionKey("confirmReceipt").count()).isZero());
    assertThatThrownBy(() -> complete("op", receipt, matching)).isInstanceOf(org.camunda.bpm.engine.AuthorizationException.class);
    engine.getProcessEngineConfiguration().setAuthorizationEnabled(false);
    try {
      assertThatThrownBy(() -> complete("op", receipt, matching))
          .hasMessage("You handed these media over, so another operator must confirm their receipt.");
    } finally {
      engine.getProcessEngineConfiguration().setAuthorizationEnabled(true);
    }
    as("op2", () -> assertThat(tasks.createTaskQuery().taskDefinitionKey("confirmReceipt").count()).isOne());
  }

  @Test
  void tamperedMediaStopTheImportAndLeadToADecision() {
    doThrow(new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The media failed verification",
        "ALTERED generation-000002/mirror_000001.tar")).when(verifyReceipt).verify(anyString());
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    handOverAndReceive();

    Task decision = task("decideMediaProblem");
    assertThat(runtime.getVariable(decision.getExecutionId(), "failureDetails")).asString().contains("ALTERED");
    assertThat(externalTasks.createExternalTaskQuery().topicName("oc-mirror-import").count()).isZero();
    complete("op", decision, Map.of("decision", "abandon"));
    runJobs();
    BpmnAwareTests.assertThat(update).isEnded();
    assertThat(passed(update, "enclave-delivery")).contains("abandonedAtReceipt").doesNotContain("importGeneration");
  }

  @Test
  void mediaThatFillUpAreADecisionAndStagingAgainResumesToTheHandover() {
    when(stageMedia.stage(anyString()))
        .thenThrow(new dev.ocmirror.orchestrator.transfer.MediaSpaceException("The media at /media/t filled up while"
            + " generation-000002/mirror_000003.tar was copied"))
        .thenReturn(new StageMedia.Staged("/media/t", "b".repeat(64), 3, 4096));
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    runJobs();

    Task decision = task("decideMediaProblem");
    assertThat(decision.getName()).isEqualTo("Decide on the media problem");
    assertThat(runtime.getVariable(decision.getExecutionId(), "failureReason")).isEqualTo("MEDIA_FULL");
    assertThat(runtime.getVariable(decision.getExecutionId(), "failureSummary")).asString().contains("filled up");
    assertThat(tasks.createTaskQuery().taskDefinitionKey("signOffHandover").count()).as("nothing to hand over").isZero();
    assertThat(runtime.createIncidentQuery().count()).as("a decision, not an incident").isZero();
    complete("op", decision, Map.of("decision", "retry"));
    runJobs();
    assertThat(tasks.createTaskQuery().taskDefinitionKey("signOffHandover").count()).isOne();
    assertThat(passed(update, "enclave-delivery")).contains("mediaStaged", "decideMediaProblem");
  }

  @Test
  void aBrokenSealIsAMediaProblemEvenWithoutChecksums() {
    start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    runJobs();
    complete("op", task("signOffHandover"), Map.of("mediaId", "USB-0042", "sealNumber", "S-991", "courier", "Dana"));
    // As Tasklist's yes/no choice sends it.
    complete("op2", task("confirmReceipt"), Map.of("sealIntact", "false"));
    runJobs();
    Task decision = task("decideMediaProblem");
    assertThat(runtime.getVariable(decision.getExecutionId(), "failureSummary")).asString().contains("seal");
    // Staging again leads to a new handover.
    complete("op", decision, Map.of("decision", "retry"));
    runJobs();
    assertThat(tasks.createTaskQuery().taskDefinitionKey("signOffHandover").count()).isOne();
  }

  @Test
  void incompleteContentAtImportLeadsToADecisionAndARetryImportsAgain() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    handOverAndReceive();
    failExternal("oc-mirror-import", "IMPORT_FAILED", "diskToMirror INCOMPLETE_CONTENT: manifest unknown");

    Task decision = task("decideImportFailure");
    assertThatThrownBy(() -> complete("op", decision, Map.of("decision", "maybe"))).hasMessageContaining("decision");
    complete("op", decision, Map.of("decision", "retry"));
    completeExternal("oc-mirror-import", Map.of());
    runJobs();
    BpmnAwareTests.assertThat(update).isEnded().hasPassed("delivered");
  }

  @Test
  void failedImagesInTheMirrorRunLeadToADecisionAndARetryRunsAgain() {
    ProcessInstance update = start("mirror-update", "op");
    runJobs();
    completeExternal("oc-mirror-dry-run", Map.of("imagesPlanned", 3));
    failExternal("oc-mirror-to-disk", "MIRROR_FAILED", "mirrorToDisk FAILED_IMAGES, exit 8");
    Task decision = task("decideMirrorFailure");
    assertThat(runtime.getVariable(decision.getExecutionId(), "failureSummary")).asString().contains("FAILED_IMAGES");
    complete("op", decision, Map.of("decision", "retry"));
    mirrorRunsSucceed();
    assertThat(approval("reviewTransfer")).isNotNull();
    BpmnAwareTests.assertThat(update).isActive();
  }

  @Test
  void anAbandonedMirrorEndsTheLifecycleVisibly() {
    ProcessInstance update = start("mirror-update", "op");
    runJobs();
    failExternal("oc-mirror-dry-run", "MIRROR_FAILED", "mirrorToDisk (dry run) REJECTED");
    complete("op", task("decideMirrorFailure"), Map.of("decision", "abandon"));
    BpmnAwareTests.assertThat(update).isEnded().hasPassed("lifecycleAbandoned");
  }

  @Test
  void anInvalidConfigurationGoesBackToTheOperatorToCorrect() {
    when(prepareConfiguration.prepare(eq("broken"), anyBoolean())).thenThrow(new DecisionNeeded(
        DecisionNeeded.Reason.CONFIGURATION_INVALID, "The ImageSetConfiguration is not valid: 1 problem(s)",
        "mirror.additionalImages[0].name is required"));
    identity.setAuthentication("op", List.of("operators"));
    ProcessInstance update;
    try {
      update = runtime.startProcessInstanceByKey("mirror-update", Map.of("imagesetConfig", "broken"));
    } finally {
      identity.clearAuthentication();
    }
    runJobs();
    Task correct = task("correctConfiguration");
    assertThat(runtime.getVariable(correct.getExecutionId(), "failureDetails")).asString().contains("is required");
    assertThatThrownBy(() -> complete("op", correct, Map.of("decision", "retry", "imagesetConfig", " ")))
        .hasMessageContaining("imagesetConfig");
    complete("op", correct, Map.of("decision", "retry", "imagesetConfig", CONFIG));
    runJobs();
    assertThat(externalTasks.createExternalTaskQuery().topicName("oc-mirror-dry-run").count()).isOne();
    BpmnAwareTests.assertThat(update).isActive();
  }

  @Test
  void aTechnicalFaultRetriesThenBecomesAnIncident() {
    when(recordGeneration.record(anyString(), anyInt(), anyString(), any(), anyString()))
        .thenThrow(new IllegalStateException("archive store unreachable"));
    start("mirror-update", "op");
    runJobs();
    completeExternal("oc-mirror-dry-run", Map.of("imagesPlanned", 3));
    completeExternal("oc-mirror-to-disk", Map.of("archivesWritten", 1));
    Job job = management.createJobQuery().activityId("recordGeneration").singleResult();
    for (int attempt = 0; attempt < 3; attempt++) {
      Job current = management.createJobQuery().jobId(job.getId()).singleResult();
      java.util.Date failedAt = new java.util.Date();
      assertThatThrownBy(() -> management.executeJob(current.getId())).hasMessageContaining("archive store unreachable");
      Job after = management.createJobQuery().jobId(job.getId()).singleResult();
      assertThat(after.getRetries()).as("attempts left after attempt " + (attempt + 1)).isEqualTo(2 - attempt);
      if (after.getRetries() > 0) {
        // The service's one retry policy, which no model repeats: the next attempt a minute later.
        assertThat(after.getDuedate()).isCloseTo(new java.util.Date(failedAt.getTime() + 60_000), 5_000);
      }
    }
    assertThat(runtime.createIncidentQuery().activityId("recordGeneration").singleResult().getIncidentMessage())
        .contains("archive store unreachable");
  }

  @Test
  void aWaitingApprovalRaisesAReminderAndStaysOpen() {
    start("mirror-update", "op");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");
    Job reminder = management.createJobQuery().activityId("approvalReminder").timers().singleResult();
    assertThat(reminder.getDuedate()).isAfter(review.getCreateTime());
    management.executeJob(reminder.getId());
    runJobs();
    Task stillOpen = tasks.createTaskQuery().taskId(review.getId()).singleResult();
    assertThat(stillOpen.getPriority()).isGreaterThan(review.getPriority());
    assertThat(tasks.getTaskComments(review.getId())).anySatisfy(comment ->
        assertThat(comment.getFullMessage()).startsWith("Reminder"));
  }

  @Test
  void aLifecycleForAnUnknownEnclaveIsRefusedAtTheStart() {
    identity.setAuthentication("op", List.of("operators"));
    try {
      assertThatThrownBy(() -> runtime.startProcessInstanceByKey("mirror-update",
          Map.of("imagesetConfig", CONFIG, "enclaves", "north,atlantis"))).hasMessageContaining("'atlantis' is not configured");
      assertThatThrownBy(() -> runtime.startProcessInstanceByKey("mirror-baseline", Map.of()))
          .hasMessageContaining("imagesetConfig");
      assertThatThrownBy(() -> runtime.startProcessInstanceByKey("media-receipt", Map.of("mediaPath", "/mnt/usb")))
          .as("media are taken in by the station of their enclave").hasMessageContaining("this is the connected side");
    } finally {
      identity.clearAuthentication();
    }
  }

  @Test
  void aBaselineBuildsGenerationOneAndDeliversLikeAnUpdate() {
    ProcessInstance baseline = start("mirror-baseline", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    handOverAndReceive();
    completeExternal("oc-mirror-import", Map.of());
    runJobs();
    BpmnAwareTests.assertThat(baseline).isEnded().hasPassed("delivered");
    org.mockito.Mockito.verify(prepareConfiguration).prepare(CONFIG, true);
  }

  @Test
  void theMonthlyScheduleStartsAnUpdateWithTheNewestConfiguration() {
    when(prepareConfiguration.scheduledConfiguration()).thenReturn(java.util.Optional.of(CONFIG));
    Job schedule = management.createJobQuery().processDefinitionKey("mirror-update-schedule").timers().singleResult();
    assertThat(schedule.getDuedate()).isInTheFuture();
    management.executeJob(schedule.getId());
    runJobs();
    ProcessInstance update = runtime.createProcessInstanceQuery().processDefinitionKey("mirror-update").singleResult();
    assertThat(runtime.getVariable(update.getId(), "imagesetConfig")).isEqualTo(CONFIG);
    assertThat(runtime.getVariable(update.getId(), "requestedBy")).isEqualTo("schedule");
    mirrorRunsSucceed();
    assertThat(tasks.createTaskQuery().taskDefinitionKey("reviewTransfer").list()).as("every configured enclave").hasSize(2);
    complete("cm", approval("reviewTransfer", "north"), Map.of("approved", true));
    runJobs();
    assertThat(tasks.createTaskQuery().taskDefinitionKey("signOffHandover").count()).isOne();
    assertThat(management.createJobQuery().processDefinitionKey("mirror-update-schedule").timers().singleResult().getDuedate())
        .as("the next update is scheduled again").isInTheFuture();
  }

  // --- mirror-rollback ---

  @Test
  void anApprovedRollbackReimportsMissingContentAndReappliesTheEarlierResources() {
    when(checkRegistry.check(anyString(), anyString(), anyInt(), eq(false)))
        .thenReturn(new CheckRegistry.Findings(3, List.of("registry/demo/alpha:v1: not in the registry (404)")));
    ProcessInstance rollbackInstance = startRollback("both");
    runJobs();
    Task approve = approval("approveRollback");
    identity.setAuthentication("both", List.of("operators", "change-managers"));
    assertThat(tasks.createTaskQuery().taskDefinitionKey("approveRollback").count()).isZero();
    identity.clearAuthentication();
    complete("cm", approve, Map.of("approved", true, "reviewComment", "month 3 broke the catalog"));
    runJobs();
    LockedExternalTask reimport = lock("oc-mirror-import");
    assertThat(reimport.getVariables()).containsEntry("importGeneration", 2);
    externalTasks.complete(reimport.getId(), "test");
    runJobs();
    BpmnAwareTests.assertThat(rollbackInstance).isEnded().hasPassed("reimportGeneration", "applyRollback", "rolledBack");
    org.mockito.Mockito.verify(applyClusterResources).apply("north", LINEAGE, 2, rollbackInstance.getId(), true);
  }

  @Test
  void aRejectedRollbackChangesNothing() {
    ProcessInstance rollbackInstance = startRollback("op");
    runJobs();
    complete("cm", approval("approveRollback"), Map.of("approved", false, "reviewComment", "not needed"));
    runJobs();
    BpmnAwareTests.assertThat(rollbackInstance).isEnded().hasPassed("rollbackRejected").hasNotPassed("applyRollback");
  }

  @Test
  void aRollbackWithNothingBeforeItEndsAtOnce() {
    when(planRollback.plan("north")).thenThrow(new DecisionNeeded(DecisionNeeded.Reason.NOTHING_TO_ROLL_BACK,
        "Enclave north has no cluster resources applied yet", ""));
    ProcessInstance rollbackInstance = startRollback("op");
    runJobs();
    BpmnAwareTests.assertThat(rollbackInstance).isEnded().hasPassed("noRollback");
  }

  // --- an enclave reached only by media ---

  private static final java.util.concurrent.atomic.AtomicLong REPORTS = new java.util.concurrent.atomic.AtomicLong();

  /** A site report of island's station, answering a transfer, numbered after every earlier one. */
  private String siteReport(String transferId, dev.ocmirror.orchestrator.airgap.SiteReport.TransferOutcome outcome) {
    var report = new dev.ocmirror.orchestrator.airgap.SiteReport(1, "island", REPORTS.incrementAndGet(), java.time.Instant.now(),
        LINEAGE, List.of(new dev.ocmirror.orchestrator.airgap.SiteReport.ImportedGeneration(2, java.time.Instant.now())),
        dev.ocmirror.orchestrator.ledger.BlobSets.digest(java.util.Set.of()), true, 0, List.of(),
        new dev.ocmirror.orchestrator.airgap.SiteReport.Acknowledgement(transferId, 1, outcome, null));
    return dev.ocmirror.orchestrator.airgap.SiteReportText.write(report, STATION.getPrivate());
  }

  private Task waitingForTheSiteReport() {
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer", "island"), Map.of("approved", true, "reviewComment", "ok"));
    runJobs();
    complete("op", task("signOffHandover"), Map.of("mediaId", "USB-7", "sealNumber", "S-7", "courier", "Dana"));
    runJobs();
    assertThat(tasks.createTaskQuery().taskDefinitionKey("confirmReceipt").count()).as("nobody receives on this side").isZero();
    return task("recordSiteReport");
  }

  @Test
  void aMediaEnclavesDeliveryWaitsForItsSiteReportAndClosesOnIt() {
    ProcessInstance update = start("mirror-update", "op", "island");
    Task record = waitingForTheSiteReport();
    String transferId = (String) runtime.getVariable(record.getExecutionId(), "transferId");
    var imported = dev.ocmirror.orchestrator.airgap.SiteReport.TransferOutcome.IMPORTED;

    assertThatThrownBy(() -> complete("op", record, Map.of("siteReport", "hello"))).hasMessageContaining("This is not a site report");
    assertThatThrownBy(() -> complete("cm", record, Map.of("siteReport", siteReport(transferId, imported))))
        .as("only operators record reports").isInstanceOf(org.camunda.bpm.engine.AuthorizationException.class);
    assertThatThrownBy(() -> complete("op", record, Map.of("siteReport", siteReport("another-transfer", imported))))
        .hasMessageContaining("answers transfer another-transfer, not this delivery's");
    String answer = siteReport(transferId, imported);
    complete("op", record, Map.of("siteReport", answer));
    runJobs();

    BpmnAwareTests.assertThat(update).isEnded().hasPassed("delivered");
    assertThat(passed(update, "enclave-delivery")).contains("recordSiteReport", "acceptSiteReport", "closeTransfer",
        "enclaveUpdated").doesNotContain("confirmReceipt", "verifyReceipt", "importGeneration");
  }

  @Test
  void mediaTheStationRefusedEndTheDeliveryRefusedAtTheStation() {
    ProcessInstance update = start("mirror-update", "op", "island");
    Task record = waitingForTheSiteReport();
    String transferId = (String) runtime.getVariable(record.getExecutionId(), "transferId");
    complete("op", record, Map.of("siteReport", siteReport(transferId,
        dev.ocmirror.orchestrator.airgap.SiteReport.TransferOutcome.REFUSED)));
    runJobs();

    BpmnAwareTests.assertThat(update).isEnded().hasPassed("notDeliveredEverywhere");
    assertThat(passed(update, "enclave-delivery")).contains("refusedAtStation").doesNotContain("closeTransfer");
    assertThat(transfers.get(transferId).state()).isEqualTo(dev.ocmirror.orchestrator.ledger.TransferState.REFUSED_AT_STATION);
  }

  @Test
  void aDeliveryMovedPastTheSiteReportGoesNoFurther() {
    start("mirror-update", "op", "island");
    Task record = waitingForTheSiteReport();
    engine.getIdentityService().setAuthentication("root-admin", List.of("admins", "camunda-admin"));
    try {
      runtime.createProcessInstanceModification(record.getProcessInstanceId()).cancelAllForActivity("recordSiteReport")
          .startBeforeActivity("acceptSiteReport").execute();
    } finally {
      engine.getIdentityService().clearAuthentication();
    }
    assertThatThrownBy(this::runJobs).hasMessageStartingWith("No site report of island answering transfer");
    assertThat(runtime.createIncidentQuery().processInstanceId(record.getProcessInstanceId()).activityId("acceptSiteReport")
        .singleResult().getIncidentMessage()).as("an incident at once, no retries")
        .startsWith("No site report of island answering transfer");
  }
}
