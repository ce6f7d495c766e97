package dev.ocmirror.orchestrator.audit;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.UserTasks;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.EndEvents;
import dev.ocmirror.orchestrator.control.ControlRecords;
import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.Generations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.EntityTypes;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricIncident;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.task.Comment;

/** Builds the audit record of one lifecycle (a root process instance and everything it called). */
public class AuditTrail {

  private static final Set<String> SYSTEM_STEPS = Set.of("serviceTask", "callActivity", "multiInstanceBody");
  private static final int MAX_VALUE = 4000;

  private final HistoryService history;
  private final TaskService tasks;
  private final Generations generations;
  private final ClusterApplies applies;
  private final RefusedActs refusedActs;
  private final ControlRecords custody;

  public AuditTrail(HistoryService history, TaskService tasks, Generations generations, ClusterApplies applies,
      RefusedActs refusedActs,
      ControlRecords custody) {
    this.history = history;
    this.tasks = tasks;
    this.generations = generations;
    this.applies = applies;
    this.refusedActs = refusedActs;
    this.custody = custody;
  }

  public Optional<AuditRecord> of(String lifecycleId) {
    HistoricProcessInstance root = history.createHistoricProcessInstanceQuery().processInstanceId(lifecycleId).singleResult();
    if (root == null || !Processes.LIFECYCLES.contains(root.getProcessDefinitionKey())) {
      return Optional.empty();
    }
    List<HistoricProcessInstance> instances = new ArrayList<>(history.createHistoricProcessInstanceQuery()
        .rootProcessInstanceId(lifecycleId).list());
    instances.sort(Comparator.comparing(HistoricProcessInstance::getStartTime).thenComparing(HistoricProcessInstance::getId));
    Map<String, Map<String, Object>> variables = new HashMap<>();
    for (HistoricProcessInstance instance : instances) {
      Map<String, Object> values = new TreeMap<>();
      // In id order, so that a name set in several scopes resolves the same way whenever the record is rebuilt.
      List<HistoricVariableInstance> all = new ArrayList<>(history.createHistoricVariableInstanceQuery()
          .processInstanceId(instance.getId()).list());
      all.sort(Comparator.comparing(HistoricVariableInstance::getId));
      for (HistoricVariableInstance variable : all) {
        if (variable.getValue() != null && variable.getActivityInstanceId() != null
            && variable.getActivityInstanceId().equals(instance.getId())) {
          values.put(variable.getName(), variable.getValue());
        } else if (variable.getValue() != null) {
          values.putIfAbsent(variable.getName(), variable.getValue());
        }
      }
      variables.put(instance.getId(), values);
    }
    List<AuditRecord.Event> timeline = new ArrayList<>();
    Map<String, List<String>> endEvents = new HashMap<>();
    Map<String, Map<String, AuditRecord.Event>> humanByTask = new HashMap<>();
    Map<String, String> processOf = new HashMap<>();
    for (HistoricProcessInstance instance : instances) {
      collect(instance, timeline, endEvents, humanByTask);
      processOf.put(instance.getId(), instance.getProcessDefinitionKey());
    }
    for (RefusedActs.RefusedAct refused : refusedActs.of(processOf.keySet())) {
      timeline.add(new AuditRecord.Event(refused.at(), "refused", refused.userId(), processOf.get(refused.processInstanceId()),
          refused.activity(), "refused", refused.reason(), Map.of()));
    }
    endEvents.values().forEach(java.util.Collections::sort);
    // A total order: the seal digests this list, so equal times must not leave the order to the database.
    timeline.sort(Comparator.comparing(AuditRecord.Event::at).thenComparing(AuditRecord.Event::process)
        .thenComparing(event -> String.valueOf(event.activity())).thenComparing(AuditRecord.Event::what)
        .thenComparing(event -> String.valueOf(event.actor())).thenComparing(event -> String.valueOf(event.outcome()))
        .thenComparing(event -> String.valueOf(event.values())).thenComparing(AuditRecord.Event::kind));

    Map<String, Object> rootValues = variables.get(lifecycleId);
    String lineage = (String) rootValues.get("lineage");
    Integer number = rootValues.get("generation") instanceof Integer value ? value : null;
    List<AuditRecord.Archive> archives = lineage == null || number == null ? List.of()
        : generations.archives(lineage, number).stream().map(a -> new AuditRecord.Archive(a.fileName(), a.size(), a.sha256())).toList();
    AuditRecord.Generation generation = new AuditRecord.Generation(lineage, number, (String) rootValues.get(Variables.CONFIG_DIGEST),
        (String) rootValues.get(Variables.CONFIG_DIFF), (String) rootValues.get(Variables.OC_MIRROR_VERSION), rootValues.get(Variables.IMAGES_PLANNED),
        rootValues.get(Variables.IMAGE_COUNT), archives);

    List<AuditRecord.Delivery> deliveries = new ArrayList<>();
    Set<String> ids = instances.stream().map(HistoricProcessInstance::getId).collect(Collectors.toSet());
    for (HistoricProcessInstance instance : instances) {
      // A receiving station's media receipt is its site's delivery: the same transfer, seen from the other side.
      if (instance.getProcessDefinitionKey().equals(Processes.DELIVERY)
          || instance.getProcessDefinitionKey().equals(Processes.MEDIA_RECEIPT)) {
        List<String> ended = endEvents.getOrDefault(instance.getId(), List.of());
        deliveries.add(delivery(instance, outcomeOf(instance, ended), variables.get(instance.getId()),
            humanByTask.getOrDefault(instance.getId(), Map.of()), ended));
      }
    }
    deliveries.sort(Comparator.comparing(AuditRecord.Delivery::enclave));
    List<AuditRecord.ClusterApplied> applied = new ArrayList<>();
    for (String enclave : enclavesOf(rootValues, deliveries)) {
      applies.history(enclave).stream().filter(apply -> ids.contains(apply.processInstanceId()))
          .forEach(apply -> applied.add(new AuditRecord.ClusterApplied(apply.enclave(), apply.cluster(), apply.generation(),
              apply.resources(), apply.appliedAt(), apply.rollback())));
    }
    Outcome outcome = lifecycleOutcome(root, endEvents.getOrDefault(root.getId(), List.of()),
        deliveries.stream().map(AuditRecord.Delivery::outcome).toList());
    AuditRecord.Lifecycle lifecycle = new AuditRecord.Lifecycle(root.getId(), root.getProcessDefinitionKey(),
        Optional.ofNullable(root.getStartUserId()).orElse((String) rootValues.get(Variables.REQUESTED_BY)), instant(root.getStartTime()),
        instant(root.getEndTime()), outcome, root.getState(), endEvents.getOrDefault(root.getId(), List.of()),
        note(outcome, root, instances, variables, endEvents, deliveries));
    return Optional.of(new AuditRecord(lifecycle, generation, deliveries, applied, timeline));
  }

  private static List<String> enclavesOf(Map<String, Object> rootValues, List<AuditRecord.Delivery> deliveries) {
    List<String> enclaves = new ArrayList<>(deliveries.stream().map(AuditRecord.Delivery::enclave).toList());
    if (rootValues.get("enclave") instanceof String enclave && !enclaves.contains(enclave)) {
      enclaves.add(enclave);
    }
    return enclaves;
  }

  private void collect(HistoricProcessInstance instance, List<AuditRecord.Event> timeline, Map<String, List<String>> endEvents,
      Map<String, Map<String, AuditRecord.Event>> humanByTask) {
    String process = instance.getProcessDefinitionKey();
    List<UserOperationLogEntry> operations = new ArrayList<>(history.createUserOperationLogQuery()
        .processInstanceId(instance.getId()).list());
    operations.sort(Comparator.comparing(UserOperationLogEntry::getTimestamp).thenComparing(UserOperationLogEntry::getId));
    Map<String, List<HistoricDetail>> submitted = new HashMap<>();
    for (HistoricDetail detail : history.createHistoricDetailQuery().processInstanceId(instance.getId()).variableUpdates().list()) {
      if (detail.getUserOperationId() != null) {
        submitted.computeIfAbsent(detail.getUserOperationId(), id -> new ArrayList<>()).add(detail);
      }
    }
    if (instance.getSuperProcessInstanceId() == null) {
      timeline.add(new AuditRecord.Event(instant(instance.getStartTime()), "person",
          instance.getStartUserId() == null ? "schedule" : instance.getStartUserId(), process, null, "started " + process,
          null, Map.of()));
    }
    Map<String, HistoricTaskInstance> taskByActivity = new HashMap<>();
    history.createHistoricTaskInstanceQuery().processInstanceId(instance.getId()).list()
        .forEach(task -> taskByActivity.put(task.getActivityInstanceId(), task));
    Map<String, HistoricIncident> incidents = new HashMap<>();
    history.createHistoricIncidentQuery().processInstanceId(instance.getId()).list().stream()
        .sorted(Comparator.comparing(HistoricIncident::getCreateTime).thenComparing(HistoricIncident::getId))
        .forEach(incident -> incidents.put(incident.getActivityId(), incident));
    List<HistoricActivityInstance> activities = new ArrayList<>(history.createHistoricActivityInstanceQuery()
        .processInstanceId(instance.getId()).list());
    activities.sort(Comparator.comparing(HistoricActivityInstance::getStartTime).thenComparing(HistoricActivityInstance::getId));
    for (HistoricActivityInstance activity : activities) {
      String type = activity.getActivityType();
      if (type.endsWith("EndEvent") || type.equals("noneEndEvent") || type.equals("errorEndEvent")) {
        endEvents.computeIfAbsent(instance.getId(), id -> new ArrayList<>()).add(activity.getActivityId());
      }
      if (type.equals("userTask")) {
        HistoricTaskInstance task = taskByActivity.get(activity.getId());
        if (task != null) {
          person(task, process, operations, submitted, timeline, humanByTask.computeIfAbsent(instance.getId(), id -> new HashMap<>()));
        }
      } else if (SYSTEM_STEPS.contains(type) || type.endsWith("EndEvent")) {
        HistoricIncident incident = incidents.get(activity.getActivityId());
        String outcome = activity.getEndTime() == null ? "running" : activity.isCanceled() ? "interrupted" : "completed";
        if (incident != null) {
          outcome += "; incident: " + incident.getIncidentMessage();
        }
        timeline.add(new AuditRecord.Event(instant(activity.getStartTime()), "system", null, process, activity.getActivityId(),
            Optional.ofNullable(activity.getActivityName()).orElse(activity.getActivityId()), outcome, Map.of()));
      }
    }
    operations(process, operations, taskByActivity.values(), timeline);
    // Comments made on a task carry no process instance of their own: gather them task by task.
    Map<String, Comment> comments = new TreeMap<>();
    tasks.getProcessInstanceComments(instance.getId()).forEach(comment -> comments.put(comment.getId(), comment));
    Map<String, String> taskKeys = new HashMap<>();
    for (HistoricTaskInstance task : taskByActivity.values()) {
      taskKeys.put(task.getId(), task.getTaskDefinitionKey());
      tasks.getTaskComments(task.getId()).forEach(comment -> comments.put(comment.getId(), comment));
    }
    for (Comment comment : comments.values()) {
      timeline.add(new AuditRecord.Event(instant(comment.getTime()), "person", comment.getUserId(), process,
          taskKeys.get(comment.getTaskId()), "commented", null, Map.of("comment", limited(comment.getFullMessage()))));
    }
  }

  /**
   * Everything else people did to the instance through the engine, one event per operation: modifications,
   * variables written, cancellations, retries set, incidents resolved. The start and each task's claim and
   * completion are told as person events already.
   */
  private static void operations(String process, List<UserOperationLogEntry> operations, Collection<HistoricTaskInstance> tasks,
      List<AuditRecord.Event> timeline) {
    Map<String, String> taskKeys = new HashMap<>();
    tasks.forEach(task -> taskKeys.put(task.getId(), task.getTaskDefinitionKey()));
    Map<String, List<UserOperationLogEntry>> byOperation = new java.util.LinkedHashMap<>();
    for (UserOperationLogEntry entry : operations) {
      String type = entry.getOperationType();
      boolean toldAlready = (entry.getTaskId() != null && taskKeys.containsKey(entry.getTaskId())
          && (type.equals(UserOperationLogEntry.OPERATION_TYPE_CLAIM) || type.equals(UserOperationLogEntry.OPERATION_TYPE_COMPLETE)))
          || (type.equals(UserOperationLogEntry.OPERATION_TYPE_CREATE)
              && EntityTypes.PROCESS_INSTANCE.equals(entry.getEntityType()));
      if (!toldAlready) {
        byOperation.computeIfAbsent(entry.getOperationId(), id -> new ArrayList<>()).add(entry);
      }
    }
    for (List<UserOperationLogEntry> entries : byOperation.values()) {
      UserOperationLogEntry first = entries.get(0);
      Map<String, String> values = new TreeMap<>();
      for (UserOperationLogEntry entry : entries) {
        if (entry.getProperty() != null) {
          values.put(entry.getProperty(), limited(entry.getOrgValue() == null ? String.valueOf(entry.getNewValue())
              : entry.getOrgValue() + " -> " + entry.getNewValue()));
        }
      }
      timeline.add(new AuditRecord.Event(instant(first.getTimestamp()), "operation", first.getUserId(), process,
          first.getTaskId() == null ? first.getExternalTaskId() : taskKeys.get(first.getTaskId()),
          first.getOperationType() + " " + first.getEntityType(), null, values));
    }
  }

  private static void person(HistoricTaskInstance task, String process, List<UserOperationLogEntry> operations,
      Map<String, List<HistoricDetail>> submitted, List<AuditRecord.Event> timeline, Map<String, AuditRecord.Event> byTask) {
    Set<String> completions = new java.util.HashSet<>();
    for (UserOperationLogEntry operation : operations) {
      if (!task.getId().equals(operation.getTaskId())) {
        continue;
      }
      String type = operation.getOperationType();
      if (type.equals(UserOperationLogEntry.OPERATION_TYPE_CLAIM) && "assignee".equals(operation.getProperty())) {
        timeline.add(new AuditRecord.Event(instant(operation.getTimestamp()), "person", operation.getUserId(), process,
            task.getTaskDefinitionKey(), "claimed " + task.getName(), null, Map.of()));
      } else if (type.equals(UserOperationLogEntry.OPERATION_TYPE_COMPLETE) && completions.add(operation.getOperationId())) {
        Map<String, String> values = new TreeMap<>();
        for (HistoricDetail detail : submitted.getOrDefault(operation.getOperationId(), List.of())) {
          HistoricVariableUpdate update = (HistoricVariableUpdate) detail;
          values.put(update.getVariableName(), limited(String.valueOf(update.getValue())));
        }
        AuditRecord.Event event = new AuditRecord.Event(instant(operation.getTimestamp()), "person", operation.getUserId(),
            process, task.getTaskDefinitionKey(), "completed " + task.getName(), null, values);
        timeline.add(event);
        // Operations come in time order: a task done again (media staged anew) leaves its latest completion here.
        byTask.put(task.getTaskDefinitionKey(), event);
      }
    }
  }

  /** How a lifecycle came out, and each of its deliveries by enclave. */
  public record Outcomes(Outcome lifecycle, Map<String, Outcome> enclaves) {
  }

  /** The outcomes alone, for a list of lifecycles: a few queries, not the whole record. */
  public Outcomes outcomes(HistoricProcessInstance root) {
    Map<String, Outcome> enclaves = new TreeMap<>();
    for (HistoricProcessInstance delivery : history.createHistoricProcessInstanceQuery().rootProcessInstanceId(root.getId())
        .processDefinitionKey(Processes.DELIVERY).list()) {
      HistoricVariableInstance enclave = history.createHistoricVariableInstanceQuery().processInstanceId(delivery.getId())
          .variableName("enclave").list().stream().findFirst().orElse(null);
      enclaves.put(enclave == null ? delivery.getId() : String.valueOf(enclave.getValue()),
          outcomeOf(delivery, endEventsOf(delivery.getId())));
    }
    return new Outcomes(lifecycleOutcome(root, endEventsOf(root.getId()), List.copyOf(enclaves.values())), enclaves);
  }

  private List<String> endEventsOf(String processInstanceId) {
    return history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId).finished().list().stream()
        .filter(activity -> activity.getActivityType().endsWith("EndEvent")).map(HistoricActivityInstance::getActivityId)
        .sorted().toList();
  }

  /** A delivery's or rollback's outcome: its outcome end event, else running, else failed (cancelled, terminated). */
  static Outcome outcomeOf(HistoricProcessInstance instance, List<String> endedAt) {
    if (instance.getEndTime() == null) {
      return Outcome.RUNNING;
    }
    return endedAt.stream().map(Outcome::ofEndEvent).flatMap(Optional::stream).findFirst().orElse(Outcome.FAILED);
  }

  /**
   * A baseline or update delivered only if every delivery did; abandoned if its generation was never built;
   * otherwise its worst delivery's outcome. A rollback, and media taken in by a receiving station, have outcomes of
   * their own end events.
   */
  static Outcome lifecycleOutcome(HistoricProcessInstance root, List<String> endedAt, List<Outcome> deliveries) {
    Outcome own = outcomeOf(root, endedAt);
    if (Processes.STATION.contains(root.getProcessDefinitionKey()) || own == Outcome.RUNNING || own == Outcome.ABANDONED) {
      return own;
    }
    if (deliveries.isEmpty()) {
      return Outcome.FAILED;
    }
    return Outcome.worst(deliveries);
  }

  /** In words, what a lifecycle that did not deliver never made or did. */
  private static String note(Outcome outcome, HistoricProcessInstance root, List<HistoricProcessInstance> instances,
      Map<String, Map<String, Object>> variables, Map<String, List<String>> endEvents, List<AuditRecord.Delivery> deliveries) {
    if (outcome == Outcome.DELIVERED || outcome == Outcome.ROLLED_BACK || outcome == Outcome.RUNNING) {
      return null;
    }
    if (root.getProcessDefinitionKey().equals(Processes.ROLLBACK)) {
      return outcome == Outcome.REJECTED ? "The rollback was rejected; no cluster resources were applied."
          : "The rollback was not carried out; no cluster resources were applied.";
    }
    if (root.getProcessDefinitionKey().equals(Processes.MEDIA_RECEIPT)) {
      Object why = variables.getOrDefault(root.getId(), Map.of()).get(Variables.FAILURE_SUMMARY);
      return "The media were not imported" + (why == null ? "" : ": " + why) + ". The site report written then says so.";
    }
    Optional<HistoricProcessInstance> build = instances.stream()
        .filter(instance -> instance.getProcessDefinitionKey().equals(Processes.GENERATION)).reduce((first, second) -> second);
    if (outcome == Outcome.ABANDONED && build.isPresent() && deliveries.isEmpty()) {
      Map<String, Object> values = variables.getOrDefault(build.get().getId(), Map.of());
      List<String> ended = endEvents.getOrDefault(build.get().getId(), List.of());
      String when = ended.contains(EndEvents.ABANDONED_AT_CONFIGURATION) ? "when its configuration was to be corrected"
          : "after its mirror run failed";
      String what = values.get("generation") == null ? "No generation was made"
          : "Generation " + values.get("generation") + " of lineage " + values.get("lineage") + " was never made";
      return what + ": the operators abandoned it " + when + ". Nothing was mirrored into the archive store, carried or applied.";
    }
    List<String> enclaves = deliveries.stream().filter(delivery -> delivery.outcome() != Outcome.DELIVERED)
        .map(delivery -> delivery.enclave() + " (" + delivery.outcome() + ")").toList();
    return "Not delivered to " + (enclaves.isEmpty() ? "any enclave" : String.join(", ", enclaves))
        + "; the enclave state there did not advance.";
  }

  /** The custody chain as the service recorded it: the handover's values are kept out of the process variables. */
  private AuditRecord.Delivery delivery(HistoricProcessInstance instance, Outcome outcome, Map<String, Object> values,
      Map<String, AuditRecord.Event> human, List<String> endedAt) {
    String transferId = (String) values.get(Variables.TRANSFER_ID);
    ControlRecords.Handover handover = transferId == null ? null : custody.latestHandover(transferId).orElse(null);
    AuditRecord.Event receipt = human.get(UserTasks.CONFIRM_RECEIPT);
    AuditRecord.Custody custody = handover == null ? null : new AuditRecord.Custody(handover.mediaId(),
        handover.sealNumber(), handover.courier(), handover.actor(), handover.at(),
        receipt == null ? null : receipt.actor(), receipt == null ? null : receipt.at(), (String) values.get(Variables.RECEIVED_MEDIA_ID),
        (String) values.get(Variables.RECEIVED_SEAL_NUMBER), (Boolean) values.get(Variables.SEAL_INTACT));
    if (handover == null && transferId != null && instance.getProcessDefinitionKey().equals(Processes.MEDIA_RECEIPT)) {
      // On a station the chain starts where the media arrived: who received them, as the station recorded it.
      custody = this.custody.custody(transferId).stream()
          .filter(event -> event.kind() == ControlRecords.CustodyKind.RECEIVED).reduce((first, last) -> last)
          .map(received -> new AuditRecord.Custody(null, null, null, null, null, received.actor(), received.at(), null,
              null, null)).orElse(null);
    }
    String plan = (String) values.get(Variables.TRANSFER_SUMMARY);
    return new AuditRecord.Delivery((String) values.get("enclave"), instance.getId(), outcome, transferId,
        parse((String) values.get(Variables.CARRY_GENERATIONS)), values.get(Variables.TRANSFER_BYTES) instanceof Long bytes ? bytes : null,
        plan == null ? null : plan.lines().findFirst().orElse(plan), (Boolean) values.get("approved"),
        (String) values.get(Variables.APPROVER), (String) values.get(Variables.REVIEW_COMMENT), (String) values.get(Variables.MANIFEST_SHA256), custody,
        values.get(Variables.VERIFIED_FILES), values.get(Variables.IMAGES_VERIFIED), endedAt);
  }

  private static List<Integer> parse(String generations) {
    if (generations == null || generations.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(generations.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  private static String limited(String value) {
    return value == null || value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + "...";
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  /** Lifecycles that have ended, oldest end first. */
  public List<HistoricProcessInstance> endedLifecycles() {
    List<HistoricProcessInstance> ended = new ArrayList<>();
    for (String key : Processes.LIFECYCLES) {
      ended.addAll(history.createHistoricProcessInstanceQuery().processDefinitionKey(key).finished().list());
    }
    ended.sort(Comparator.comparing(HistoricProcessInstance::getEndTime).thenComparing(HistoricProcessInstance::getId));
    return ended;
  }

}
