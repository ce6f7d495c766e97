package dev.ocmirror.orchestrator.audit;

import dev.ocmirror.orchestrator.ledger.LedgerRepository;
import java.time.Instant;
import java.util.ArrayList;
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

  public static final Set<String> LIFECYCLE_KEYS = Set.of("mirror-baseline", "mirror-update", "mirror-rollback");
  private static final Set<String> SYSTEM_STEPS = Set.of("serviceTask", "callActivity", "multiInstanceBody");
  private static final int MAX_VALUE = 4000;

  private final HistoryService history;
  private final TaskService tasks;
  private final LedgerRepository ledger;

  public AuditTrail(HistoryService history, TaskService tasks, LedgerRepository ledger) {
    this.history = history;
    this.tasks = tasks;
    this.ledger = ledger;
  }

  public Optional<AuditRecord> of(String lifecycleId) {
    HistoricProcessInstance root = history.createHistoricProcessInstanceQuery().processInstanceId(lifecycleId).singleResult();
    if (root == null || !LIFECYCLE_KEYS.contains(root.getProcessDefinitionKey())) {
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
    for (HistoricProcessInstance instance : instances) {
      collect(instance, timeline, endEvents, humanByTask);
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
        : ledger.archives(lineage, number).stream().map(a -> new AuditRecord.Archive(a.fileName(), a.size(), a.sha256())).toList();
    AuditRecord.Generation generation = new AuditRecord.Generation(lineage, number, (String) rootValues.get("configDigest"),
        (String) rootValues.get("configDiff"), (String) rootValues.get("ocMirrorVersion"), rootValues.get("imagesPlanned"),
        rootValues.get("imageCount"), archives);

    List<AuditRecord.Delivery> deliveries = new ArrayList<>();
    Set<String> ids = instances.stream().map(HistoricProcessInstance::getId).collect(Collectors.toSet());
    for (HistoricProcessInstance instance : instances) {
      if (instance.getProcessDefinitionKey().equals("enclave-delivery")) {
        deliveries.add(delivery(instance, variables.get(instance.getId()), humanByTask.getOrDefault(instance.getId(), Map.of()),
            endEvents.getOrDefault(instance.getId(), List.of())));
      }
    }
    deliveries.sort(Comparator.comparing(AuditRecord.Delivery::enclave));
    List<AuditRecord.ClusterApplied> applied = new ArrayList<>();
    for (String enclave : enclavesOf(rootValues, deliveries)) {
      ledger.clusterHistory(enclave).stream().filter(apply -> ids.contains(apply.processInstanceId()))
          .forEach(apply -> applied.add(new AuditRecord.ClusterApplied(apply.enclave(), apply.cluster(), apply.generation(),
              apply.resources(), apply.appliedAt(), apply.rollback())));
    }
    AuditRecord.Lifecycle lifecycle = new AuditRecord.Lifecycle(root.getId(), root.getProcessDefinitionKey(),
        Optional.ofNullable(root.getStartUserId()).orElse((String) rootValues.get("requestedBy")), instant(root.getStartTime()),
        instant(root.getEndTime()), root.getState(), endEvents.getOrDefault(root.getId(), List.of()));
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
    for (Comment comment : tasks.getProcessInstanceComments(instance.getId())) {
      timeline.add(new AuditRecord.Event(instant(comment.getTime()), "person", comment.getUserId(), process, null, "commented",
          null, Map.of("comment", limited(comment.getFullMessage()))));
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

  private static AuditRecord.Delivery delivery(HistoricProcessInstance instance, Map<String, Object> values,
      Map<String, AuditRecord.Event> human, List<String> endedAt) {
    String transferId = (String) values.get("transferId");
    AuditRecord.Event handover = human.get("signOffHandover");
    AuditRecord.Event receipt = human.get("confirmReceipt");
    AuditRecord.Custody custody = handover == null ? null : new AuditRecord.Custody((String) values.get("mediaId"),
        (String) values.get("sealNumber"), (String) values.get("courier"), handover.actor(), handover.at(),
        receipt == null ? null : receipt.actor(), receipt == null ? null : receipt.at(), (String) values.get("receivedMediaId"),
        (String) values.get("receivedSealNumber"), (Boolean) values.get("sealIntact"));
    String plan = (String) values.get("transferSummary");
    return new AuditRecord.Delivery((String) values.get("enclave"), instance.getId(), transferId,
        parse((String) values.get("carryGenerations")), values.get("transferBytes") instanceof Long bytes ? bytes : null,
        plan == null ? null : plan.lines().findFirst().orElse(plan), (Boolean) values.get("approved"),
        (String) values.get("approver"), (String) values.get("reviewComment"), (String) values.get("manifestSha256"), custody,
        values.get("verifiedFiles"), values.get("imagesVerified"), endedAt);
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
    for (String key : LIFECYCLE_KEYS) {
      ended.addAll(history.createHistoricProcessInstanceQuery().processDefinitionKey(key).finished().list());
    }
    ended.sort(Comparator.comparing(HistoricProcessInstance::getEndTime).thenComparing(HistoricProcessInstance::getId));
    return ended;
  }

}
