package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.awaitility.Awaitility;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;

/**
 * Plays the people of a lifecycle against a running service (job executor and worker on): an operator starts,
 * hands over and receives; a change manager approves. Waiting fails at once on an incident or a decision task.
 */
public final class LifecycleDriver {

  private final RuntimeService runtime;
  private final TaskService tasks;
  private final HistoryService history;
  private final IdentityService identity;
  private final String operator;
  private final String receiver;
  private final String approver;
  private final Map<String, List<String>> groups;

  /**
   * @param operator starts lifecycles and hands media over
   * @param receiver another operator, who confirms the receipt (the sender may not)
   */
  public LifecycleDriver(ProcessEngine engine, String operator, String receiver, String approver) {
    this.runtime = engine.getRuntimeService();
    this.tasks = engine.getTaskService();
    this.history = engine.getHistoryService();
    this.identity = engine.getIdentityService();
    this.operator = operator;
    this.receiver = receiver;
    this.approver = approver;
    this.groups = Map.of(operator, List.of("operators"), receiver, List.of("operators"), approver, List.of("change-managers"));
  }

  /** Approves, hands over and receives the transfer of every enclave; returns what each carried. */
  public Map<String, String> deliver(ProcessInstance lifecycle, List<String> enclaves) {
    Map<String, String> carried = new HashMap<>();
    for (String enclave : enclaves) {
      Task review = waitForTask("reviewTransfer", enclave);
      carried.put(enclave, (String) runtime.getVariable(review.getExecutionId(), "carryGenerations"));
      assertThat((String) runtime.getVariable(review.getExecutionId(), "transferSummary")).startsWith("PROVEN COMPLETE");
      complete(approver, review, Map.of("approved", true, "reviewComment", "ok"));
    }
    for (String enclave : enclaves) {
      complete(operator, waitForTask("signOffHandover", enclave),
          Map.of("mediaId", "USB-" + enclave, "sealNumber", "S-" + enclave, "courier", "Dana"));
    }
    for (String enclave : enclaves) {
      complete(receiver, waitForTask("confirmReceipt", enclave), Map.of("sealIntact", true, "receivedMediaId", "USB-" + enclave,
          "receivedSealNumber", "S-" + enclave));
    }
    waitUntilEnded(lifecycle);
    for (String enclave : enclaves) {
      assertThat(historicActivities(lifecycle, enclave)).contains("enclaveUpdated");
    }
    return carried;
  }

  /**
   * Acts on every task open now, as each person would: the change manager approves, the operator hands over, the
   * other operator receives with the media id and seal the handover named. Returns how many tasks were completed.
   */
  public int actOnOpenTasks() {
    return actOnOpenTasksBut(null);
  }

  /** As {@link #actOnOpenTasks()}, leaving open the tasks of {@code leftToOthers} (a task key; null: none). */
  public int actOnOpenTasksBut(String leftToOthers) {
    int acted = 0;
    for (Task task : tasks.createTaskQuery().list()) {
      if (java.util.Objects.equals(task.getTaskDefinitionKey(), leftToOthers)) {
        continue;
      }
      String enclave = (String) runtime.getVariable(task.getExecutionId(), "enclave");
      switch (task.getTaskDefinitionKey()) {
        case "reviewTransfer" -> complete(approver, task, Map.of("approved", true, "reviewComment", "ok"));
        case "signOffHandover" -> complete(operator, task, Map.of("mediaId", "USB-" + enclave, "sealNumber", "S-" + enclave,
            "courier", "Dana"));
        case "confirmReceipt" -> complete(receiver, task, Map.of("sealIntact", true, "receivedMediaId", "USB-" + enclave,
            "receivedSealNumber", "S-" + enclave));
        default -> throw new AssertionError("A task the people of this driver do not know: " + task.getTaskDefinitionKey());
      }
      acted++;
    }
    return acted;
  }

  public ProcessInstance start(String key, String config, String enclaves) {
    return as(operator, () -> runtime.startProcessInstanceByKey(key, Map.of("imagesetConfig", config, "enclaves", enclaves)));
  }

  public static String config(String... images) {
    StringBuilder yaml = new StringBuilder("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\n"
        + "mirror:\n  additionalImages:\n");
    for (String image : images) {
      yaml.append("    - name: ").append(image).append('\n');
    }
    return yaml.toString();
  }

  public <T> T as(String user, java.util.function.Supplier<T> action) {
    identity.setAuthentication(user, groups.get(user));
    try {
      return action.get();
    } finally {
      identity.clearAuthentication();
    }
  }

  public void complete(String user, Task task, Map<String, Object> variables) {
    as(user, () -> {
      tasks.complete(task.getId(), new HashMap<>(variables));
      return null;
    });
  }

  public Task waitForTask(String key, String enclave) {
    Task[] found = new Task[1];
    waitFor(key + " for " + enclave, () -> {
      found[0] = tasks.createTaskQuery().taskDefinitionKey(key).processVariableValueEquals("enclave", enclave).singleResult();
      return found[0] != null;
    });
    return found[0];
  }

  public void waitUntilEnded(ProcessInstance instance) {
    waitFor("the end of " + instance.getProcessDefinitionId(), () ->
        history.createHistoricProcessInstanceQuery().processInstanceId(instance.getId()).finished().count() == 1);
  }

  /** Waits for a condition while failing at once on an incident or a person's decision, with its message. */
  public void waitFor(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
      List<Incident> incidents = runtime.createIncidentQuery().list();
      assertThat(incidents).as("incidents while waiting for " + what).isEmpty();
      List<Task> decisions = tasks.createTaskQuery().taskDefinitionKeyLike("decide%").list();
      assertThat(decisions).as("decisions asked while waiting for " + what + ": "
          + decisions.stream().map(task -> runtime.getVariable(task.getExecutionId(), "failureSummary") + "\n"
              + runtime.getVariable(task.getExecutionId(), "failureDetails")).toList()).isEmpty();
      return condition.getAsBoolean();
    });
  }

  public List<String> historicActivities(ProcessInstance root, String enclave) {
    return history.createHistoricActivityInstanceQuery().processInstanceId(deliveryOf(root, enclave)).list().stream()
        .map(activity -> activity.getActivityId()).toList();
  }

  public Object historicVariable(ProcessInstance root, String enclave, String name) {
    return history.createHistoricVariableInstanceQuery().processInstanceId(deliveryOf(root, enclave)).variableName(name)
        .singleResult().getValue();
  }

  public String deliveryOf(ProcessInstance root, String enclave) {
    return history.createHistoricProcessInstanceQuery().superProcessInstanceId(root.getId())
        .processDefinitionKey("enclave-delivery").list().stream()
        .filter(instance -> enclave.equals(history.createHistoricVariableInstanceQuery().processInstanceId(instance.getId())
            .variableName("enclave").singleResult().getValue()))
        .findFirst().orElseThrow().getId();
  }

  /**
   * The runs of one external task never overlap: each attempt's run started once (one greeting in its output),
   * and a later attempt (a retry, e.g. after another program held the port) exists only once the earlier ended.
   */
  public static void assertRunsNeverOverlap(java.nio.file.Path runsDirectory, String taskId) throws java.io.IOException {
    java.util.List<java.nio.file.Path> attempts;
    try (java.util.stream.Stream<java.nio.file.Path> runs = java.nio.file.Files.list(runsDirectory)) {
      attempts = runs.filter(java.nio.file.Files::isDirectory)
          .filter(path -> path.getFileName().toString().startsWith("task-" + taskId + "-")).sorted().toList();
    }
    assertThat(attempts).as("runs of task " + taskId).isNotEmpty();
    assertThat(attempts.get(0).getFileName().toString()).isEqualTo("task-" + taskId + "-1");
    for (int i = 0; i < attempts.size(); i++) {
      assertThat(java.nio.file.Files.readString(attempts.get(i).resolve("output.log")))
          .as(attempts.get(i) + " started once").containsOnlyOnce("Hello, welcome to oc-mirror");
      if (i < attempts.size() - 1) {
        assertThat(attempts.get(i).resolve("exit-status")).as(attempts.get(i) + " ended before the next attempt").exists();
      }
    }
  }
}
