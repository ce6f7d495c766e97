package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocmirror.orchestrator.audit.AuditSeals;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.support.HttpApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a compliance reader of /api/audit and the printed report sees for each way a lifecycle can end, and that
 * every act is in the record: an administrator's modification, an operator's comment, a refused receipt.
 */
class LifecycleAuditTest extends MockedStepsTest {

  @LocalServerPort
  int port;
  @Autowired
  AuditSeals seals;

  HttpApi compliance() {
    return HttpApi.anonymous(port).as("comp", "comp-secret");
  }

  JsonNode listed(ProcessInstance lifecycle) {
    for (JsonNode summary : compliance().get("/api/audit/lifecycles").json()) {
      if (summary.path("id").asText().equals(lifecycle.getId())) {
        return summary;
      }
    }
    throw new AssertionError("lifecycle " + lifecycle.getId() + " is not listed");
  }

  JsonNode record(ProcessInstance lifecycle) {
    HttpApi.Response response = compliance().get("/api/audit/lifecycles/" + lifecycle.getId());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  String report(ProcessInstance lifecycle) {
    return compliance().get("/api/audit/lifecycles/" + lifecycle.getId() + "/report.html").body();
  }

  static List<String> timeline(JsonNode record) {
    List<String> lines = new ArrayList<>();
    record.path("timeline").forEach(event -> lines.add(event.path("kind").asText() + " " + event.path("actor").asText() + " "
        + event.path("what").asText() + " " + event.path("outcome").asText("")));
    return lines;
  }

  void deliverUpdate(ProcessInstance update) {
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true, "reviewComment", "fine"));
    handOverAndReceive();
    completeExternal("oc-mirror-import", Map.of());
    runJobs();
  }

  @Test
  void anApprovedAndDeliveredUpdateReadsDelivered() {
    ProcessInstance update = start("mirror-update", "op");
    deliverUpdate(update);

    JsonNode summary = listed(update);
    assertThat(summary.path("outcome").asText()).isEqualTo("DELIVERED");
    assertThat(summary.path("enclaves").path("north").asText()).isEqualTo("DELIVERED");
    JsonNode record = record(update);
    assertThat(record.at("/lifecycle/outcome").asText()).isEqualTo("DELIVERED");
    assertThat(record.at("/lifecycle/note").isNull()).isTrue();
    assertThat(record.at("/deliveries/0/outcome").asText()).isEqualTo("DELIVERED");
    assertThat(timeline(record)).contains("person cm completed Review the transfer ", "person op completed Sign off the handover ",
        "person op2 completed Confirm receipt ");
    assertThat(report(update)).contains("Outcome: <b>DELIVERED</b>").doesNotContain("REJECTED");
  }

  @Test
  void aRejectedTransferReadsRejectedNotDelivered() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", false, "reviewComment", "not this month"));
    runJobs();

    JsonNode summary = listed(update);
    assertThat(summary.path("outcome").asText()).isEqualTo("REJECTED");
    assertThat(summary.path("enclaves").path("north").asText()).isEqualTo("REJECTED");
    JsonNode record = record(update);
    assertThat(record.at("/lifecycle/endedAt").toString()).contains("notDeliveredEverywhere").doesNotContain("\"delivered\"");
    assertThat(record.at("/lifecycle/note").asText()).isEqualTo("Not delivered to north (REJECTED); the enclave state there"
        + " did not advance.");
    assertThat(record.at("/deliveries/0/reviewComment").asText()).isEqualTo("not this month");
    assertThat(timeline(record)).noneMatch(line -> line.contains("Update delivered"));
    assertThat(report(update)).contains("Outcome: <b>REJECTED</b>", "Not delivered to north");
    assertThat(transfers.ofLifecycle(update.getId())).singleElement().satisfies(transfer ->
        assertThat(transfer.state()).isEqualTo(dev.ocmirror.orchestrator.ledger.TransferState.REJECTED));
  }

  @Test
  void anAbandonedBuildSaysWhatWasNeverMade() {
    ProcessInstance update = start("mirror-update", "op");
    runJobs();
    failExternal("oc-mirror-dry-run", "MIRROR_FAILED", "mirrorToDisk (dry run) REJECTED");
    complete("op", task("decideMirrorFailure"), Map.of("decision", "abandon"));

    assertThat(listed(update).path("outcome").asText()).isEqualTo("ABANDONED");
    JsonNode record = record(update);
    assertThat(record.at("/lifecycle/note").asText()).isEqualTo("Generation 2 of lineage " + LINEAGE + " was never made: the"
        + " operators abandoned it after its mirror run failed. Nothing was mirrored into the archive store, carried or applied.");
    assertThat(report(update)).contains("Outcome: <b>ABANDONED</b>", "was never made");
  }

  @Test
  void aFailedImportThatIsAbandonedReadsAbandonedAndACancelledOneFailed() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    handOverAndReceive();
    failExternal("oc-mirror-import", "IMPORT_FAILED", "diskToMirror INCOMPLETE_CONTENT: manifest unknown");
    complete("op", task("decideImportFailure"), Map.of("decision", "abandon"));
    runJobs();
    assertThat(listed(update).path("outcome").asText()).isEqualTo("ABANDONED");
    assertThat(record(update).at("/deliveries/0/outcome").asText()).isEqualTo("ABANDONED");
    assertThat(transfers.ofLifecycle(update.getId())).singleElement().satisfies(transfer ->
        assertThat(transfer.state()).isEqualTo(dev.ocmirror.orchestrator.ledger.TransferState.ABANDONED));

    ProcessInstance cancelled = start("mirror-update", "op");
    mirrorRunsSucceed();
    runtime.deleteProcessInstance(cancelled.getId(), "cancelled by an administrator", false, true);
    assertThat(listed(cancelled).path("outcome").asText()).isEqualTo("FAILED");
    assertThat(report(cancelled)).contains("Outcome: <b>FAILED</b>");
  }

  @Test
  void anAdministratorsModificationAnOperatorsCommentAndARefusedReceiptAreInTheSealedRecord() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", true));
    runJobs();
    Task handover = task("signOffHandover");
    as("op", () -> tasks.createComment(handover.getId(), null, "Seal bag 7 used, bag 6 was torn"));
    String delivery = handover.getProcessInstanceId();
    identity.setAuthentication("root-admin", List.of("admins", "camunda-admin"));
    try {
      runtime.createProcessInstanceModification(delivery).cancelAllForActivity("signOffHandover")
          .startBeforeActivity("signOffHandover").execute();
    } finally {
      identity.clearAuthentication();
    }
    complete("op", task("signOffHandover"), Map.of("mediaId", "USB-0042", "sealNumber", "S-991", "courier", "Dana"));
    Task receipt = task("confirmReceipt");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> complete("op2", receipt, Map.of("sealIntact", true,
        "receivedMediaId", "USB-0042", "receivedSealNumber", "S-919")));
    complete("op2", receipt, Map.of("sealIntact", true, "receivedMediaId", "USB-0042", "receivedSealNumber", "S-991"));
    runJobs();
    completeExternal("oc-mirror-import", Map.of());
    runJobs();

    List<String> lines = timeline(record(update));
    assertThat(lines).contains("person op commented ", "operation root-admin ModifyProcessInstance ProcessInstance ");
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("refused op2 refused Not accepted: receivedSealNumber")
        .doesNotContain("S-991"));

    seals.sealPending();
    assertThat(seals.verify().intact()).isTrue();
    new JdbcTemplate(dataSource).update("delete from act_hi_comment where task_id_ = ?", handover.getId());
    AuditSeals.Verification verification = seals.verify();
    assertThat(verification.intact()).isFalse();
    assertThat(verification.problems()).extracting(AuditSeals.Problem::lifecycleId).containsExactly(update.getId());
  }

  @Test
  void sealsOfAnEarlierRecordFormatAreNamedAsSuchAndRelabellingASealBreaksTheChain() {
    ProcessInstance update = start("mirror-update", "op");
    mirrorRunsSucceed();
    complete("cm", approval("reviewTransfer"), Map.of("approved", false, "reviewComment", "no"));
    runJobs();
    seals.sealPending();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    AuditSeals.Seal sealed = seals.sealOf(update.getId()).orElseThrow();
    jdbc.update("update audit_seal set record_format = 1 where sequence_number = ?", sealed.sequence());
    assertThat(seals.verify().problems()).extracting(AuditSeals.Problem::problem)
        .contains("the seal does not follow from the one before: the seal table was changed");

    // What an earlier version wrote: format 1 and its chain, with the digest of a record this version cannot rebuild.
    String previous = "0".repeat(64);
    for (AuditSeals.Seal seal : seals.seals()) {
      String chain = dev.ocmirror.orchestrator.integrity.Sha256.hex((previous + "\n" + seal.lifecycleId() + "\n"
          + seal.recordSha256()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      jdbc.update("update audit_seal set record_format = 1, chain_sha256 = ? where sequence_number = ?", chain,
          seal.sequence());
      previous = chain;
    }
    AuditSeals.Verification verification = seals.verify();
    assertThat(verification.intact()).as(verification.toString()).isTrue();
    assertThat(verification.notRebuilt()).extracting(AuditSeals.Problem::lifecycleId).contains(update.getId());
    assertThat(verification.notRebuilt()).allSatisfy(seal -> assertThat(seal.problem()).startsWith("sealed in record format 1"));
    jdbc.update("delete from audit_seal");
  }

  @Test
  void aConfigurationOf200KilobytesAndAMebibyteOfFailureDetailsReachTheOperator() {
    StringBuilder config = new StringBuilder("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\n"
        + "mirror:\n  additionalImages:\n");
    for (int i = 0; config.length() < 200 * 1024; i++) {
      config.append("    - name: registry.example.com/team-").append(i).append("/service-").append(i).append(":v1.2.3\n");
    }
    String details = "x".repeat(1 << 20);
    when(prepareConfiguration.prepare(anyString(), anyBoolean())).thenThrow(new DecisionNeeded(
        DecisionNeeded.Reason.CONFIGURATION_INVALID, "The ImageSetConfiguration is not valid", details));
    HttpApi operator = HttpApi.anonymous(port).as("op", "op-secret");
    HttpApi.Response started = operator.post("/engine-rest/process-definition/key/mirror-update/start",
        "{\"variables\":{\"imagesetConfig\":{\"value\":" + json(config.toString()) + ",\"type\":\"String\"}}}");
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    runJobs();

    Task correct = task("correctConfiguration");
    JsonNode shown = operator.get("/engine-rest/task/" + correct.getId() + "/form-variables").json();
    assertThat(shown.at("/imagesetConfig/type").asText()).isEqualTo("String");
    assertThat(shown.at("/imagesetConfig/value").asText()).isEqualTo(config.toString());
    assertThat(shown.at("/failureDetails/value").asText()).hasSize(1 << 20);
    String corrected = config + "    - name: registry.example.com/one-more:v1\n";
    HttpApi.Response submitted = operator.post("/engine-rest/task/" + correct.getId() + "/submit-form",
        "{\"variables\":{\"decision\":{\"value\":\"abandon\"},\"imagesetConfig\":{\"value\":" + json(corrected) + "}}}");
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(204);
    assertThat(history.createHistoricVariableInstanceQuery().variableName("imagesetConfig").list())
        .anySatisfy(variable -> assertThat(variable.getValue()).isEqualTo(corrected));
  }

  private static String json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
