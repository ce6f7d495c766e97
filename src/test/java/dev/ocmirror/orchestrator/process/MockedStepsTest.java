package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import dev.ocmirror.orchestrator.ledger.Generations;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.ApplyClusterResources;
import dev.ocmirror.orchestrator.lifecycle.CheckRegistry;
import dev.ocmirror.orchestrator.lifecycle.CloseTransfer;
import dev.ocmirror.orchestrator.lifecycle.PlanRollback;
import dev.ocmirror.orchestrator.lifecycle.PlanTransfer;
import dev.ocmirror.orchestrator.lifecycle.PrepareConfiguration;
import dev.ocmirror.orchestrator.lifecycle.RecordGeneration;
import dev.ocmirror.orchestrator.lifecycle.StageMedia;
import dev.ocmirror.orchestrator.lifecycle.VerifyReceipt;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The service with the domain steps replaced, so that each outcome of the process models can be provoked, and the
 * people of a lifecycle played through the engine's API. The steps themselves are tested on real hosts elsewhere
 * (and all together in the end-to-end test); listeners, controls, ledger and audit are real.
 */
@ServiceTest
@TestPropertySource(properties = {"orchestrator.worker.enabled=false", "orchestrator.approval.reminder-after=PT4H",
    // A whole configuration, as the service demands at start; the replaced steps never reach its hosts.
    "orchestrator.mirror.host.local=true", "orchestrator.mirror.oc-mirror=/nonexistent/oc-mirror",
    "orchestrator.mirror.workspace-root=/nonexistent/workspaces", "orchestrator.mirror.cache-directory=/nonexistent/cache",
    "orchestrator.mirror.runs-directory=/nonexistent/runs", "orchestrator.mirror.archive-store=/nonexistent/store",
    "orchestrator.mirror.keep-for-rollback=1", "orchestrator.media.staging-directory=/nonexistent/media",
    "orchestrator.signing.private-key=/nonexistent/signing.pem", "orchestrator.signing.public-key=/nonexistent/signing.pub"})
abstract class MockedStepsTest {

  static final String LINEAGE = UUID.randomUUID().toString();
  /** The receiving station of enclave island, which signs its site reports. */
  static final java.security.KeyPair STATION;

  static {
    try {
      STATION = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The enclaves, all from one source: Spring binds a list from the one source that holds it. */
  @org.springframework.test.context.DynamicPropertySource
  static void enclaves(org.springframework.test.context.DynamicPropertyRegistry registry) throws java.io.IOException {
    java.nio.file.Path key = java.nio.file.Files.createTempFile("island-station", ".pub.pem");
    java.nio.file.Files.writeString(key, dev.ocmirror.orchestrator.transfer.ManifestSignature.encodePem("PUBLIC KEY",
        STATION.getPublic().getEncoded()));
    Map<String, String> enclaves = new java.util.LinkedHashMap<>();
    enclaves.put("orchestrator.enclaves[0].name", "north");
    enclaves.put("orchestrator.enclaves[0].import-host.local", "true");
    enclaves.put("orchestrator.enclaves[0].oc-mirror", "/nonexistent/oc-mirror");
    enclaves.put("orchestrator.enclaves[0].cache-directory", "/nonexistent/north");
    enclaves.put("orchestrator.enclaves[0].import-workspace", "/nonexistent/north-imports");
    enclaves.put("orchestrator.enclaves[0].runs-directory", "/nonexistent/north-runs");
    enclaves.put("orchestrator.enclaves[0].media-mount", "/nonexistent/mnt");
    enclaves.put("orchestrator.enclaves[0].registry.url", "https://registry.north.invalid");
    // An enclave reached only by media, whose station signs with the key above.
    enclaves.put("orchestrator.enclaves[1].name", "island");
    enclaves.put("orchestrator.enclaves[1].reach", "media");
    enclaves.put("orchestrator.enclaves[1].station-public-key", key.toString());
    enclaves.forEach((name, value) -> registry.add(name, () -> value));
  }
  static final String CONFIG = "kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror: {}\n";

  @MockitoBean
  PrepareConfiguration prepareConfiguration;
  @MockitoBean
  RecordGeneration recordGeneration;
  @MockitoBean
  PlanTransfer planTransfer;
  @MockitoBean
  StageMedia stageMedia;
  @MockitoBean
  VerifyReceipt verifyReceipt;
  @MockitoBean
  CheckRegistry checkRegistry;
  @MockitoBean
  ApplyClusterResources applyClusterResources;
  @MockitoBean
  CloseTransfer closeTransfer;
  @MockitoBean
  PlanRollback planRollback;

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
    when(prepareConfiguration.prepare(anyString(), anyBoolean())).thenReturn(new PrepareConfiguration.Prepared(LINEAGE, 2, "sha256:" + "a".repeat(64),
        "1 additional image added (quay.io/demo/gamma:v1)", true));
    when(recordGeneration.record(anyString(), anyInt(), anyString(), any(), anyString()))
        .thenReturn(new RecordGeneration.Recorded(1, 12, 4096, 3, List.of()));
    if (!generations.lineageExists(LINEAGE)) {
      generations.createLineage(LINEAGE, "op", java.time.Instant.now());
    }
    when(planTransfer.plan(anyString(), anyString(), anyInt(), anyString()))
        .thenAnswer(planned(true, "PROVEN COMPLETE: carry generation(s) [2], 4096 bytes"));
    when(stageMedia.stage(anyString())).thenReturn(new StageMedia.Staged("/media/t", "b".repeat(64), 1, 4096));
    // The ledger's state of the transfer decides whether the lifecycle was delivered.
    org.mockito.Mockito.doAnswer(call -> {
      transfers.moveTo(call.getArgument(0), TransferState.IMPORTED);
      return null;
    }).when(closeTransfer).close(anyString());
    when(verifyReceipt.verify(anyString())).thenReturn(new VerifyReceipt.Received(1, 4096));
    when(checkRegistry.check(anyString(), anyString(), anyInt(), anyBoolean()))
        .thenReturn(new CheckRegistry.Findings(3, List.of()));
    when(applyClusterResources.apply(anyString(), anyString(), anyInt(), anyString(), anyBoolean()))
        .thenReturn(List.of("prod: idms-oc-mirror.yaml"));
    when(planRollback.plan("north")).thenReturn(new PlanRollback.RollbackPlan(LINEAGE, 3, 2, "Roll north back to 2"));
  }

  @Autowired
  javax.sql.DataSource dataSource;
  @Autowired
  Generations generations;
  @Autowired
  Transfers transfers;

  /** A plan as the real step makes it: recorded in the ledger for the lifecycle, which approval rests on. */
  org.mockito.stubbing.Answer<PlanTransfer.Planned> planned(boolean provable, String summary) {
    return call -> {
      String transferId = UUID.randomUUID().toString();
      transfers.record(new Transfer(transferId, call.getArgument(0),
          call.getArgument(1), call.getArgument(2), List.of(2), 4096, null, TransferState.PLANNED, java.time.Instant.now(), "op",
          call.getArgument(3)));
      return new PlanTransfer.Planned(transferId, provable, List.of(2), 4096, summary);
    };
  }

  @AfterEach
  void cleanUp() {
    identity.clearAuthentication();
    runtime.createProcessInstanceQuery().rootProcessInstances().list()
        .forEach(instance -> runtime.deleteProcessInstance(instance.getId(), "test over", false, true));
    // Completed, and deleted with their processes: no task leaves its snapshot behind.
    assertThat(new org.springframework.jdbc.core.JdbcTemplate(dataSource)
        .queryForObject("select count(*) from task_variable_snapshot", Integer.class)).isZero();
  }

  // --- helpers ---

  ProcessInstance start(String key, String user) {
    return start(key, user, "north");
  }

  ProcessInstance start(String key, String user, String enclaves) {
    return as(user, () -> runtime.startProcessInstanceByKey(key, Map.of("imagesetConfig", CONFIG, "enclaves", enclaves)));
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
    complete("op2", task("confirmReceipt"), Map.of("sealIntact", true, "receivedMediaId", "USB-0042",
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

  /** The open task of one enclave's delivery. */
  Task approval(String key, String enclave) {
    List<Task> found = tasks.createTaskQuery().taskDefinitionKey(key).processVariableValueEquals("enclave", enclave).list();
    assertThat(found).as("open task " + key + " for " + enclave).hasSize(1);
    return found.get(0);
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
