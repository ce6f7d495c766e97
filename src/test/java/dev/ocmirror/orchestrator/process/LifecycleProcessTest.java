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

import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import dev.ocmirror.orchestrator.lifecycle.MirrorSteps;
import dev.ocmirror.orchestrator.lifecycle.RollbackSteps;
import dev.ocmirror.orchestrator.support.ServiceTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * Every path of the process models, with the domain steps replaced so that each outcome can be provoked. The
 * steps themselves are tested on real hosts elsewhere (and all together in the end-to-end test).
 */
@ServiceTest
@TestPropertySource(properties = {"orchestrator.worker.enabled=false", "orchestrator.enclaves[0].name=north",
    "orchestrator.approval.reminder-after=PT4H"})
class LifecycleProcessTest {

  static final String LINEAGE = UUID.randomUUID().toString();
  static final String CONFIG = "kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror: {}\n";

  @MockitoBean
  MirrorSteps mirror;
  @MockitoBean
  DeliverySteps delivery;
  @MockitoBean
  RollbackSteps rollback;

  @Autowired
  ProcessEngine engine;
  @Autowired
  RuntimeService runtime;
  @Autowired
  TaskService tasks;
  @Autowired
  ManagementService management;
  @Autowired
  ExternalTaskService externalTasks;
  @Autowired
  HistoryService history;
  @Autowired
  IdentityService identity;

  @BeforeEach
  void setUp() {
    BpmnAwareTests.init(engine);
    when(mirror.prepare(anyString(), anyBoolean())).thenReturn(new MirrorSteps.Prepared(LINEAGE, 2, "sha256:" + "a".repeat(64),
        "1 additional image added (quay.io/demo/gamma:v1)", true));
    when(mirror.record(anyString(), anyInt(), anyString(), any(), anyString()))
        .thenReturn(new MirrorSteps.Recorded(1, 12, 4096, 3, List.of()));
    when(delivery.plan(anyString(), anyString(), anyInt(), anyString()))
        .thenAnswer(call -> new DeliverySteps.Planned(UUID.randomUUID().toString(), true, List.of(2), 4096,
            "PROVEN COMPLETE: carry generation(s) [2], 4096 bytes"));
    when(delivery.stage(anyString(), anyString())).thenReturn(new DeliverySteps.Staged("/media/t", "b".repeat(64), 1, 4096));
    when(delivery.verifyReceipt(anyString())).thenReturn(new DeliverySteps.Received(1, 4096));
    when(delivery.verifyRegistry(anyString(), anyString(), anyInt(), anyBoolean()))
        .thenReturn(new DeliverySteps.RegistryCheck(3, List.of()));
    when(delivery.applyClusterResources(anyString(), anyString(), anyInt(), anyString(), anyBoolean()))
        .thenReturn(List.of("prod: idms-oc-mirror.yaml"));
    when(rollback.plan("north")).thenReturn(new RollbackSteps.RollbackPlan(LINEAGE, 3, 2, "Roll north back to 2"));
  }

  @Autowired
  javax.sql.DataSource dataSource;

  @AfterEach
  void cleanUp() {
    identity.clearAuthentication();
    runtime.createProcessInstanceQuery().rootProcessInstances().list()
        .forEach(instance -> runtime.deleteProcessInstance(instance.getId(), "test over", false, true));
    // Completed, and deleted with their processes: no task leaves its snapshot behind.
    assertThat(new org.springframework.jdbc.core.JdbcTemplate(dataSource)
        .queryForObject("select count(*) from task_variable_snapshot", Integer.class)).isZero();
  }

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
    assertThat(historicVariable(update, "enclave-delivery", "mediaId")).isEqualTo("USB-0042");
  }

  @Test
  void aRejectedTransferNeedsAReasonAndEndsWithoutCarryingAnything() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");
    assertThatThrownBy(() -> complete("cm", review, Map.of("approved", false)))
        .hasMessageContaining("say why it is rejected");
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
    assertThatThrownBy(() -> tasks.setAssignee(review.getId(), "both")).hasMessageContaining("Four-eyes");
    engine.getProcessEngineConfiguration().setAuthorizationEnabled(false);
    identity.setAuthentication("both", List.of("operators", "change-managers"));
    try {
      assertThatThrownBy(() -> tasks.complete(review.getId(), Map.of("approved", true))).hasMessageContaining("Four-eyes");
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
    when(delivery.plan(anyString(), anyString(), anyInt(), anyString())).thenReturn(new DeliverySteps.Planned(
        UUID.randomUUID().toString(), false, List.of(1, 2), 9000, "NOT PROVABLE: cache lost"));
    start("mirror-update", "op");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");
    assertThatThrownBy(() -> complete("cm", review, Map.of("approved", true)))
        .hasMessageContaining("cannot be proven complete");
  }

  @Test
  void aCompletionMayChangeOnlyTheTasksOwnFields() {
    when(delivery.plan(anyString(), anyString(), anyInt(), anyString())).thenReturn(new DeliverySteps.Planned(
        UUID.randomUUID().toString(), false, List.of(1, 2), 9000, "NOT PROVABLE: cache lost"));
    start("mirror-update", "op");
    mirrorRunsSucceed();
    Task review = approval("reviewTransfer");
    assertThatThrownBy(() -> complete("cm", review, Map.of("approved", true, "planProvable", true,
        "carryGenerations", "2")))
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
    assertThatThrownBy(() -> complete("op", receipt, Map.of("sealIntact", true, "receivedMediaId", "USB-0043",
        "receivedSealNumber", "S-991"))).hasMessageContaining("does not match");
    assertThatThrownBy(() -> complete("op", receipt, Map.of("receivedMediaId", "USB-0042")))
        .hasMessageContaining("sealIntact");
  }

  @Test
  void tamperedMediaStopTheImportAndLeadToADecision() {
    doThrow(new DecisionNeeded(DecisionNeeded.Reason.MEDIA_REJECTED, "The media failed verification",
        "ALTERED generation-000002/mirror_000001.tar")).when(delivery).verifyReceipt(anyString());
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
  void aBrokenSealIsAMediaProblemEvenWithoutChecksums() {
    start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    runJobs();
    complete("op", task("signOffHandover"), Map.of("mediaId", "USB-0042", "sealNumber", "S-991", "courier", "Dana"));
    complete("op", task("confirmReceipt"), Map.of("sealIntact", false));
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
    when(mirror.prepare(eq("broken"), anyBoolean())).thenThrow(new DecisionNeeded(
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
    when(mirror.record(anyString(), anyInt(), anyString(), any(), anyString()))
        .thenThrow(new IllegalStateException("archive store unreachable"));
    start("mirror-update", "op");
    runJobs();
    completeExternal("oc-mirror-dry-run", Map.of("imagesPlanned", 3));
    completeExternal("oc-mirror-to-disk", Map.of("archivesWritten", 1));
    Job job = management.createJobQuery().activityId("recordGeneration").singleResult();
    for (int attempt = 0; attempt < 3; attempt++) {
      Job current = management.createJobQuery().jobId(job.getId()).singleResult();
      assertThatThrownBy(() -> management.executeJob(current.getId())).hasMessageContaining("archive store unreachable");
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
    org.mockito.Mockito.verify(mirror).prepare(CONFIG, true);
  }

  @Test
  void theMonthlyScheduleStartsAnUpdateWithTheNewestConfiguration() {
    when(mirror.scheduledConfiguration()).thenReturn(java.util.Optional.of(CONFIG));
    Job schedule = management.createJobQuery().processDefinitionKey("mirror-update-schedule").timers().singleResult();
    assertThat(schedule.getDuedate()).isInTheFuture();
    management.executeJob(schedule.getId());
    runJobs();
    ProcessInstance update = runtime.createProcessInstanceQuery().processDefinitionKey("mirror-update").singleResult();
    assertThat(runtime.getVariable(update.getId(), "imagesetConfig")).isEqualTo(CONFIG);
    assertThat(runtime.getVariable(update.getId(), "requestedBy")).isEqualTo("schedule");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    runJobs();
    assertThat(tasks.createTaskQuery().taskDefinitionKey("signOffHandover").count()).isOne();
    assertThat(management.createJobQuery().processDefinitionKey("mirror-update-schedule").timers().singleResult().getDuedate())
        .as("the next update is scheduled again").isInTheFuture();
  }

  // --- mirror-rollback ---

  @Test
  void anApprovedRollbackReimportsMissingContentAndReappliesTheEarlierResources() {
    when(delivery.verifyRegistry(anyString(), anyString(), anyInt(), eq(false)))
        .thenReturn(new DeliverySteps.RegistryCheck(3, List.of("registry/demo/alpha:v1: not in the registry (404)")));
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
    org.mockito.Mockito.verify(delivery).applyClusterResources("north", LINEAGE, 2, rollbackInstance.getId(), true);
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
    when(rollback.plan("north")).thenThrow(new DecisionNeeded(DecisionNeeded.Reason.NOTHING_TO_ROLL_BACK,
        "Enclave north has no cluster resources applied yet", ""));
    ProcessInstance rollbackInstance = startRollback("op");
    runJobs();
    BpmnAwareTests.assertThat(rollbackInstance).isEnded().hasPassed("noRollback");
  }

  // --- helpers ---

  ProcessInstance start(String key, String user) {
    return as(user, () -> runtime.startProcessInstanceByKey(key, Map.of("imagesetConfig", CONFIG)));
  }

  ProcessInstance startRollback(String user) {
    return as(user, () -> runtime.startProcessInstanceByKey("mirror-rollback", Map.of("enclave", "north")));
  }

  <T> T as(String user, Supplier<T> action) {
    identity.setAuthentication(user, user.equals("both") ? List.of("operators", "change-managers")
        : user.equals("cm") ? List.of("change-managers") : List.of("operators"));
    try {
      return action.get();
    } finally {
      identity.clearAuthentication();
    }
  }

  void complete(String user, Task task, Map<String, Object> variables) {
    as(user, () -> {
      tasks.complete(task.getId(), new HashMap<>(variables));
      return null;
    });
  }

  /** Runs every due job, including those the jobs create, as the job executor would. */
  void runJobs() {
    for (int round = 0; round < 50; round++) {
      List<Job> due = management.createJobQuery().executable().withRetriesLeft().list().stream()
          .filter(job -> job.getDuedate() == null || !job.getDuedate().after(new java.util.Date()))
          .toList();
      if (due.isEmpty()) {
        return;
      }
      due.forEach(job -> management.executeJob(job.getId()));
    }
    throw new AssertionError("jobs keep coming");
  }

  void mirrorRunsSucceed() {
    runJobs();
    completeExternal("oc-mirror-dry-run", Map.of("imagesPlanned", 3, "ocMirrorVersion", "4.18.0"));
    completeExternal("oc-mirror-to-disk", Map.of("archivesWritten", 1));
    runJobs();
  }

  void handOverAndReceive() {
    runJobs();
    complete("op", task("signOffHandover"), Map.of("mediaId", "USB-0042", "sealNumber", "S-991", "courier", "Dana"));
    complete("op", task("confirmReceipt"), Map.of("sealIntact", true, "receivedMediaId", "USB-0042",
        "receivedSealNumber", "S-991"));
    runJobs();
  }

  LockedExternalTask lock(String topic) {
    List<LockedExternalTask> locked = externalTasks.fetchAndLock(1, "test").topic(topic, 60_000)
        .variables("importGeneration", "lineage", "generation").execute();
    assertThat(locked).as("an external task on " + topic).hasSize(1);
    return locked.get(0);
  }

  void completeExternal(String topic, Map<String, Object> variables) {
    externalTasks.complete(lock(topic).getId(), "test", variables);
  }

  void failExternal(String topic, String code, String message) {
    externalTasks.handleBpmnError(lock(topic).getId(), "test", code, message, Map.of("failureReason", code,
        "failureSummary", message, "failureDetails", "log tail"));
  }

  Task task(String key) {
    List<Task> found = tasks.createTaskQuery().taskDefinitionKey(key).list();
    assertThat(found).as("open task " + key).hasSize(1);
    return found.get(0);
  }

  Task approval(String key) {
    return task(key);
  }

  List<String> passed(ProcessInstance root, String calledKey) {
    String called = history.createHistoricProcessInstanceQuery().superProcessInstanceId(root.getId())
        .processDefinitionKey(calledKey).list().get(0).getId();
    return history.createHistoricActivityInstanceQuery().processInstanceId(called).list().stream()
        .map(HistoricActivityInstance::getActivityId).toList();
  }

  Object historicVariable(ProcessInstance root, String calledKey, String name) {
    String called = history.createHistoricProcessInstanceQuery().superProcessInstanceId(root.getId())
        .processDefinitionKey(calledKey).list().get(0).getId();
    return history.createHistoricVariableInstanceQuery().processInstanceId(called).variableName(name).singleResult().getValue();
  }
}
