package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.ocmirror.orchestrator.audit.AuditRecord;
import dev.ocmirror.orchestrator.audit.AuditTrail;
import dev.ocmirror.orchestrator.support.HttpApi;
import dev.ocmirror.orchestrator.support.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Every way around the lifecycle's controls that was found through the engine's own REST API, replayed over HTTP
 * on PostgreSQL as an operator, a change manager, compliance and a user in two groups. Each must be refused, and
 * nothing may have happened: no media staged, nothing imported, no ledger change, and the audit either unchanged
 * or recording the attempt.
 */
@TestPropertySource(properties = {"orchestrator.access.login-throttle.max-failures=5",
    "orchestrator.access.login-throttle.window=PT2S", "orchestrator.access.login-delay-max=PT1S"})
class AttackSuiteTest extends MockedStepsTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    TestPostgres.recreateDatabase("orchestrator_attack_it");
    registry.add("spring.datasource.url", () -> TestPostgres.url("orchestrator_attack_it"));
    registry.add("spring.datasource.username", TestPostgres::user);
    registry.add("spring.datasource.password", TestPostgres::password);
  }

  @LocalServerPort
  int port;
  @Autowired
  AuditTrail trail;

  static Stream<String> people() {
    return Stream.of("op", "cm", "comp", "both");
  }

  HttpApi as(String user) {
    return HttpApi.anonymous(port).as(user, user + "-secret");
  }

  /** A lifecycle requested by 'both' (an operator who is also a change manager), waiting for its approval. */
  ProcessInstance waitingForApproval() {
    ProcessInstance update = start("mirror-update", "both");
    mirrorRunsSucceed();
    return update;
  }

  ProcessInstance waitingForReceipt() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    runJobs();
    complete("op", task("signOffHandover"), Map.of("mediaId", "USB-0042", "sealNumber", "S-991", "courier", "Dana"));
    return update;
  }

  String deliveryOf(ProcessInstance lifecycle) {
    return history.createHistoricProcessInstanceQuery().superProcessInstanceId(lifecycle.getId())
        .processDefinitionKey("enclave-delivery").singleResult().getId();
  }

  List<AuditRecord.Event> timeline(ProcessInstance lifecycle) {
    return trail.of(lifecycle.getId()).orElseThrow().timeline();
  }

  /** Whatever the attempt added to the record is the record of its refusal, nothing else. */
  void auditUnchangedOrRecordingTheAttempt(ProcessInstance lifecycle, List<AuditRecord.Event> before) {
    List<AuditRecord.Event> added = new ArrayList<>(timeline(lifecycle));
    added.removeAll(before);
    assertThat(added).allSatisfy(event -> assertThat(event.kind()).isEqualTo("refused"));
  }

  void stillWaitingAt(String taskKey) {
    assertThat(tasks.createTaskQuery().taskDefinitionKey(taskKey).count()).as("still waiting at " + taskKey).isOne();
  }

  static String modification(String cancel, String startBefore) {
    return "{\"instructions\":[{\"type\":\"cancel\",\"activityId\":\"" + cancel + "\"},"
        + "{\"type\":\"startBeforeActivity\",\"activityId\":\"" + startBefore + "\"}],\"skipCustomListeners\":true}";
  }

  @ParameterizedTest
  @MethodSource("people")
  void nobodySkipsTheApprovalOrGoesStraightToClosing(String user) {
    ProcessInstance update = waitingForApproval();
    String deliveryId = deliveryOf(update);
    List<AuditRecord.Event> before = timeline(update);

    HttpApi.Response skip = as(user).post("/engine-rest/process-instance/" + deliveryId + "/modification",
        modification("reviewTransfer", "stageMedia"));
    assertThat(skip.status()).as(skip.body()).isEqualTo(403);
    HttpApi.Response close = as(user).post("/engine-rest/process-instance/" + deliveryId + "/modification",
        "{\"instructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"closeTransfer\"}]}");
    assertThat(close.status()).as(close.body()).isEqualTo(403);
    runJobs();

    stillWaitingAt("reviewTransfer");
    verify(stageMedia, never()).stage(anyString());
    verify(closeTransfer, never()).close(anyString());
    assertThat(transfers.ofLifecycle(update.getId())).singleElement()
        .satisfies(transfer -> assertThat(transfer.state()).isEqualTo(dev.ocmirror.orchestrator.ledger.TransferState.PLANNED));
    auditUnchangedOrRecordingTheAttempt(update, before);
  }

  @ParameterizedTest
  @MethodSource("people")
  void nobodySkipsTheReceipt(String user) {
    ProcessInstance update = waitingForReceipt();
    String deliveryId = deliveryOf(update);
    List<AuditRecord.Event> before = timeline(update);

    HttpApi.Response skip = as(user).post("/engine-rest/process-instance/" + deliveryId + "/modification",
        modification("confirmReceipt", "importGeneration"));
    assertThat(skip.status()).as(skip.body()).isEqualTo(403);
    runJobs();

    stillWaitingAt("confirmReceipt");
    assertThat(externalTasks.createExternalTaskQuery().topicName("oc-mirror-import").count()).isZero();
    verify(verifyReceipt, never()).verify(anyString());
    auditUnchangedOrRecordingTheAttempt(update, before);
  }

  @ParameterizedTest
  @MethodSource("people")
  void nobodyRewritesTheRequesterToApproveTheirOwnRequest(String user) {
    ProcessInstance update = waitingForApproval();
    Task review = approval("reviewTransfer");
    List<AuditRecord.Event> before = timeline(update);

    for (String scope : List.of("/engine-rest/process-instance/" + update.getId(),
        "/engine-rest/process-instance/" + deliveryOf(update), "/engine-rest/task/" + review.getId())) {
      HttpApi.Response write = as(user).put(scope + "/variables/requestedBy", "{\"value\":\"cm\",\"type\":\"String\"}");
      assertThat(write.status()).as(scope + ": " + write.body()).isEqualTo(403);
    }
    // The requester's approval stays refused, with one plain sentence, whatever the variable says.
    HttpApi.Response own = as("both").post("/engine-rest/task/" + review.getId() + "/complete",
        "{\"variables\":{\"approved\":{\"value\":true}}}");
    assertThat(own.status()).isEqualTo(403);
    assertThat(own.json().path("message").asText()).isIn("You requested this transfer, so another change manager must "
        + "approve it.", "The user with id 'both' does not have one of the following permissions: 'TASK_WORK' permission on "
        + "resource '" + review.getId() + "' of type 'Task' or 'TASK_WORK' permission on resource 'enclave-delivery' of type "
        + "'ProcessDefinition' or 'UPDATE' permission on resource '" + review.getId() + "' of type 'Task' or 'UPDATE_TASK' "
        + "permission on resource 'enclave-delivery' of type 'ProcessDefinition'");
    stillWaitingAt("reviewTransfer");
    assertThat(runtime.getVariable(update.getId(), "requestedBy")).isEqualTo("both");
    auditUnchangedOrRecordingTheAttempt(update, before);
  }

  @ParameterizedTest
  @MethodSource("people")
  void nobodyStartsALifecyclePastItsStartEventOrRestartsOneWithoutItsListeners(String user) {
    ProcessInstance rejected = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", false, "reviewComment", "no"));
    runJobs();
    long instances = history.createHistoricProcessInstanceQuery().count();

    HttpApi.Response past = as(user).post("/engine-rest/process-definition/key/mirror-baseline/start",
        "{\"variables\":{\"requestedBy\":{\"value\":\"cm\"},\"imagesetConfig\":{\"value\":\"" + CONFIG.replace("\n", "\\n")
            + "\"}},\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"buildGeneration\"}],"
            + "\"skipCustomListeners\":true}");
    assertThat(past.status()).as(past.body()).isEqualTo(403);
    String definition = rejected.getProcessDefinitionId();
    HttpApi.Response restart = as(user).post("/engine-rest/process-definition/" + definition + "/restart",
        "{\"processInstanceIds\":[\"" + rejected.getId() + "\"],\"instructions\":[{\"type\":\"startBeforeActivity\","
            + "\"activityId\":\"deliverToEnclaves\"}],\"skipCustomListeners\":true,\"initialVariables\":true}");
    assertThat(restart.status()).as(restart.body()).isEqualTo(403);
    HttpApi.Response restartLater = as(user).post("/engine-rest/process-definition/" + definition + "/restart-async",
        "{\"processInstanceIds\":[\"" + rejected.getId() + "\"],\"instructions\":[{\"type\":\"startBeforeActivity\","
            + "\"activityId\":\"deliverToEnclaves\"}],\"skipCustomListeners\":true}");
    assertThat(restartLater.status()).as(restartLater.body()).isEqualTo(403);

    runJobs();
    assertThat(history.createHistoricProcessInstanceQuery().count()).isEqualTo(instances);
    assertThat(runtime.createProcessInstanceQuery().count()).isZero();
  }

  @ParameterizedTest
  @MethodSource("people")
  void nobodyWorksTheOcMirrorStepsButTheServicesWorker(String user) {
    ProcessInstance update = start("mirror-update", "op");
    runJobs();
    String taskId = externalTasks.createExternalTaskQuery().topicName("oc-mirror-dry-run").singleResult().getId();
    List<AuditRecord.Event> before = timeline(update);

    HttpApi.Response fetch = as(user).post("/engine-rest/external-task/fetchAndLock", "{\"workerId\":\"made-up\",\"maxTasks\":5,"
        + "\"topics\":[{\"topicName\":\"oc-mirror-dry-run\",\"lockDuration\":60000}]}");
    assertThat(fetch.status()).as(fetch.body()).isEqualTo(403);
    assertThat(as(user).post("/engine-rest/external-task/" + taskId + "/unlock", "{}").status()).isEqualTo(403);
    HttpApi.Response forged = as(user).post("/engine-rest/external-task/" + taskId + "/complete",
        "{\"workerId\":\"made-up\",\"variables\":{\"imagesPlanned\":{\"value\":9999}}}");
    assertThat(forged.status()).as(forged.body()).isIn(403, 500);

    assertThat(externalTasks.createExternalTaskQuery().externalTaskId(taskId).singleResult().getWorkerId()).isNull();
    assertThat(runtime.getVariable(update.getId(), "imagesPlanned")).isNull();
    auditUnchangedOrRecordingTheAttempt(update, before);
  }

  @Test
  void noOneCommentsOnATaskTheyCannotWorkWhileItsCandidatesMay() {
    ProcessInstance update = waitingForApproval();
    Task review = approval("reviewTransfer");
    for (String outsider : List.of("comp", "op", "both")) {
      HttpApi.Response comment = as(outsider).post("/engine-rest/task/" + review.getId() + "/comment/create",
          "{\"message\":\"approve me\"}");
      assertThat(comment.status()).as(outsider + ": " + comment.body()).isEqualTo(403);
      assertThat(comment.json().path("message").asText()).isEqualTo("You may comment only on a task you can work.");
    }
    assertThat(as("cm").post("/engine-rest/task/" + review.getId() + "/comment/create", "{\"message\":\"looking at it\"}")
        .status()).isEqualTo(200);
    assertThat(tasks.getTaskComments(review.getId())).extracting(comment -> comment.getUserId()).containsExactly("cm");
    assertThat(timeline(update)).filteredOn(event -> event.kind().equals("refused")).hasSize(3)
        .allSatisfy(event -> assertThat(event.outcome()).isEqualTo("You may comment only on a task you can work."));
  }

  /** Tasklist's own door: the same refusals, and the same work still done there by the right person. */
  @Test
  void theTasklistDoorRefusesTheSenderAndTakesTheReceiver() {
    ProcessInstance update = waitingForReceipt();
    Task receipt = task("confirmReceipt");
    String form = "{\"variables\":{\"receivedMediaId\":{\"value\":\"USB-0042\"},\"receivedSealNumber\":{\"value\":"
        + "\"S-991\"},\"sealIntact\":{\"value\":\"true\"}}}";

    HttpApi.Response bySender = dev.ocmirror.orchestrator.support.WebappSession.signIn(port, "op", "op-secret")
        .post("/task/" + receipt.getId() + "/submit-form", form);
    assertThat(bySender.status()).as(bySender.body()).isEqualTo(403);
    stillWaitingAt("confirmReceipt");

    dev.ocmirror.orchestrator.support.WebappSession receiver =
        dev.ocmirror.orchestrator.support.WebappSession.signIn(port, "op2", "op2-secret");
    HttpApi.Response wrongSeal = receiver.post("/task/" + receipt.getId() + "/submit-form", form.replace("S-991", "S-919"));
    assertThat(wrongSeal.status()).as(wrongSeal.body()).isEqualTo(400);
    assertThat(wrongSeal.body()).contains("receivedSealNumber").doesNotContain("S-991").doesNotContain("ENGINE-");
    HttpApi.Response received = receiver.post("/task/" + receipt.getId() + "/submit-form", form);
    assertThat(received.status()).as(received.body()).isEqualTo(204);
    assertThat(history.createHistoricVariableInstanceQuery().variableName("sealIntact").singleResult().getValue())
        .isEqualTo(true);
    assertThat(timeline(update)).anySatisfy(event -> assertThat(event.what()).isEqualTo("completed Confirm receipt"));
  }

  @ParameterizedTest
  @MethodSource("people")
  void nobodyButTheHandoverKnowsTheSealAndMediaIdHandedOver(String user) {
    waitingForReceipt();
    Task receipt = task("confirmReceipt");
    HttpApi caller = as(user);
    List<String> answers = new ArrayList<>();
    for (String path : List.of("/engine-rest/task/" + receipt.getId() + "/form-variables",
        "/engine-rest/task/" + receipt.getId() + "/variables", "/engine-rest/variable-instance?variableName=sealNumber",
        "/engine-rest/process-instance/" + receipt.getProcessInstanceId() + "/variables",
        "/engine-rest/history/variable-instance?variableName=sealNumber",
        "/engine-rest/history/detail?processInstanceId=" + receipt.getProcessInstanceId())) {
      answers.add(path + " " + caller.get(path).body());
    }
    if (user.startsWith("op") || user.equals("both")) {
      answers.add(dev.ocmirror.orchestrator.support.WebappSession.signIn(port, user, user + "-secret")
          .get("/task/" + receipt.getId() + "/form-variables").body());
    }
    assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain("S-991").doesNotContain("USB-0042"));
  }

  @ParameterizedTest
  @MethodSource("people")
  void nobodyResolvesWithVariablesClaimsForSomeoneElseOrFiresATimerEarly(String user) {
    ProcessInstance update = waitingForApproval();
    Task review = approval("reviewTransfer");
    List<AuditRecord.Event> before = timeline(update);

    HttpApi.Response resolve = as(user).post("/engine-rest/task/" + review.getId() + "/resolve",
        "{\"variables\":{\"transferId\":{\"value\":\"forged\"}}}");
    assertThat(resolve.status()).as(resolve.body()).isEqualTo(403);
    HttpApi.Response claimForAnother = as(user).post("/engine-rest/task/" + review.getId() + "/claim", "{\"userId\":\"comp\"}");
    assertThat(claimForAnother.status()).as(claimForAnother.body()).isEqualTo(403);
    String timer = management.createJobQuery().processDefinitionKey("mirror-update-schedule").timers().singleResult().getId();
    HttpApi.Response early = as(user).put("/engine-rest/job/" + timer + "/retries",
        "{\"retries\":3,\"dueDate\":\"2020-01-01T00:00:00.000+0000\"}");
    assertThat(early.status()).as(early.body()).isEqualTo(403);
    runJobs();

    assertThat(runtime.getVariable(review.getExecutionId(), "transferId")).isNotEqualTo("forged");
    assertThat(tasks.createTaskQuery().taskId(review.getId()).singleResult().getAssignee()).isNull();
    assertThat(management.createJobQuery().jobId(timer).singleResult().getDuedate()).isInTheFuture();
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("mirror-update").count()).isOne();
    auditUnchangedOrRecordingTheAttempt(update, before);
  }

  @Test
  void objectVariablesOfAnyClassAreRefusedAtTheStart() {
    HttpApi.Response started = as("op").post("/engine-rest/process-definition/key/mirror-update/start",
        "{\"variables\":{\"imagesetConfig\":{\"value\":\"" + CONFIG.replace("\n", "\\n") + "\"},\"builder\":{\"value\":"
            + "\"{\\\"command\\\":[\\\"touch\\\",\\\"/tmp/owned\\\"]}\",\"type\":\"Object\",\"valueInfo\":{\"objectTypeName\":"
            + "\"java.lang.ProcessBuilder\",\"serializationDataFormat\":\"application/json\"}}}}");
    assertThat(started.status()).as(started.body()).isEqualTo(400);
    assertThat(started.json().path("message").asText()).contains("builder: start values are text, numbers or yes/no");
    assertThat(runtime.createProcessInstanceQuery().count()).isZero();
  }

  @Test
  void wrongPasswordsSlowAClientDownButLockNoAccount() throws InterruptedException {
    HttpApi stranger = HttpApi.anonymous(port).as("cm", "guess");
    List<Integer> answers = new ArrayList<>();
    for (int attempt = 0; attempt < 6; attempt++) {
      answers.add(stranger.get("/api/me").status());
    }
    assertThat(answers).startsWith(401, 401, 401, 401, 401).endsWith(429);
    // Camunda itself would lock the account for good after ten failures; here it only delays.
    for (int attempt = 0; attempt < 12; attempt++) {
      identity.checkPassword("cm", "guess");
    }
    Thread.sleep(2_200);
    HttpApi.Response me = as("cm").get("/api/me");
    assertThat(me.status()).as(me.body()).isEqualTo(200);
  }

  @Test
  void aTwoHundredKilobyteConfigurationAndAMebibyteOfDetailsReachTheDecisionOnPostgresql() {
    StringBuilder config = new StringBuilder(CONFIG.replace("mirror: {}\n", "mirror:\n  additionalImages:\n"));
    while (config.length() < 200 * 1024) {
      config.append("    - name: registry.example.com/team/service-").append(config.length()).append(":v1\n");
    }
    String details = "manifest unknown\n".repeat((1 << 20) / 17);
    org.mockito.Mockito.when(prepareConfiguration.prepare(anyString(), org.mockito.ArgumentMatchers.anyBoolean())).thenThrow(
        new dev.ocmirror.orchestrator.lifecycle.DecisionNeeded(
            dev.ocmirror.orchestrator.lifecycle.DecisionNeeded.Reason.CONFIGURATION_INVALID, "not valid", details));
    ProcessInstance update = as("op", () -> runtime.startProcessInstanceByKey("mirror-update",
        Map.of("imagesetConfig", config.toString())));
    assertThat(runtime.getVariable(update.getId(), "imagesetConfig")).isEqualTo(config.toString());
    runJobs();
    Task correct = task("correctConfiguration");
    assertThat(runtime.getVariable(correct.getExecutionId(), "failureDetails")).isEqualTo(details);
    assertThat(runtime.getVariable(correct.getExecutionId(), "imagesetConfig")).isEqualTo(config.toString());
  }
}
