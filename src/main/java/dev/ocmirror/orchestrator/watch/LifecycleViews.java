package dev.ocmirror.orchestrator.watch;

import dev.ocmirror.orchestrator.audit.AuditTrail;
import dev.ocmirror.orchestrator.audit.Outcome;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Topics;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables;
import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.ClusterApply;
import dev.ocmirror.orchestrator.ledger.Enclaves;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.progress.RunProgress;
import dev.ocmirror.orchestrator.progress.RunProgressRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

/**
 * What the pages show, read from the engine's history, the ledger and the runs' progress board. Reads without a
 * user's engine authorizations: who may see the pages at all is decided at the door, and every group that may has
 * READ_INSTANCE on every lifecycle.
 */
@Component
public class LifecycleViews {

  /** Activities that only hold others; the page names what is really waiting or working. */
  private static final Set<String> CONTAINERS = Set.of("callActivity", "subProcess", "multiInstanceBody");
  private static final int ENDED_SHOWN = 20;
  private static final int LOG_LINES = 15;

  private final HistoryService history;
  private final RuntimeService runtime;
  private final TaskService tasks;
  private final AuditTrail trail;
  private final RunProgressRecords progress;
  private final Enclaves enclaves;
  private final ClusterApplies applies;
  private final LifecycleProperties properties;
  private final IdentityService identity;

  public LifecycleViews(HistoryService history, RuntimeService runtime, TaskService tasks, AuditTrail trail,
      RunProgressRecords progress, Enclaves enclaves, ClusterApplies applies, LifecycleProperties properties,
      IdentityService identity) {
    this.identity = identity;
    this.history = history;
    this.runtime = runtime;
    this.tasks = tasks;
    this.trail = trail;
    this.progress = progress;
    this.enclaves = enclaves;
    this.applies = applies;
    this.properties = properties;
  }

  public record Overview(List<EnclaveRow> enclaves, List<RunView> runs, List<LifecycleRow> running, List<LifecycleRow> ended) {
  }

  /** An enclave: what it has imported, what each cluster runs, and the lifecycles delivering to it now. */
  public record EnclaveRow(String name, String reach, List<String> imported, List<ClusterRow> clusters,
      List<LifecycleRow> inFlight) {
  }

  public record ClusterRow(String cluster, int generation, boolean rollback, Instant since) {
  }

  public record LifecycleRow(String id, String process, String title, String requestedBy, Instant started, Instant ended,
      Outcome outcome, List<String> now) {

    public boolean running() {
      return ended == null;
    }
  }

  /** Something a lifecycle is doing or waiting for now, in the words of its model. */
  public record Step(String where, String what, Instant since) {
  }

  public record TaskRow(String id, String name, String where, String assignee, List<String> candidateGroups, Instant created) {
  }

  public record IncidentRow(String where, String message, Instant since) {
  }

  /**
   * A run of oc-mirror as a person reads it.
   *
   * @param percent images done of total, 0-100; null while the total is unknown
   */
  public record RunView(RunProgress run, String lifecycleTitle, String stepName, String elapsed, String rate,
      String remaining, Integer percent, List<String> lastLines, String notSeenFor) {
  }

  /** A run not looked at for this long is said to be out of sight (its worker stopped, another takes over). */
  static final Duration OUT_OF_SIGHT = Duration.ofMinutes(1);

  public record LifecycleView(LifecycleRow summary, Map<String, Outcome> deliveries, List<Step> now, List<TaskRow> tasks,
      List<IncidentRow> incidents, List<RunView> runs) {
  }

  public Overview overview() {
    Instant now = Instant.now();
    List<HistoricProcessInstance> runningRoots = new ArrayList<>();
    List<HistoricProcessInstance> endedRoots = new ArrayList<>();
    for (String key : Processes.LIFECYCLES) {
      runningRoots.addAll(history.createHistoricProcessInstanceQuery().processDefinitionKey(key).unfinished().list());
      endedRoots.addAll(history.createHistoricProcessInstanceQuery().processDefinitionKey(key).finished()
          .orderByProcessInstanceEndTime().desc().listPage(0, ENDED_SHOWN));
    }
    List<LifecycleRow> running = runningRoots.stream()
        .sorted(Comparator.comparing(HistoricProcessInstance::getStartTime).reversed()).map(this::row).toList();
    List<LifecycleRow> ended = endedRoots.stream()
        .sorted(Comparator.comparing(HistoricProcessInstance::getEndTime).reversed()).limit(ENDED_SHOWN).map(this::row)
        .toList();
    List<EnclaveRow> enclaveRows = new ArrayList<>();
    for (LifecycleProperties.Enclave enclave : properties.enclaves()) {
      List<LifecycleRow> inFlight = new ArrayList<>();
      for (HistoricProcessInstance delivery : history.createHistoricProcessInstanceQuery().processDefinitionKey(
          Processes.DELIVERY).unfinished().variableValueEquals(Variables.ENCLAVE, enclave.name()).list()) {
        running.stream().filter(row -> row.id().equals(delivery.getRootProcessInstanceId())).forEach(inFlight::add);
      }
      running.stream().filter(row -> row.process().equals(Processes.ROLLBACK) || row.process().equals(Processes.MEDIA_RECEIPT))
          .filter(row -> enclave.name().equals(variable(row.id(), Variables.ENCLAVE))).forEach(inFlight::add);
      enclaveRows.add(new EnclaveRow(enclave.name(), enclave.byMedia() ? "by media" : "over SSH", imported(enclave.name()),
          clusters(enclave.name()), inFlight));
    }
    List<RunView> runs = progress.unfinished().stream().map(run -> runView(run, titleOf(run.lifecycleId()), now)).toList();
    return new Overview(enclaveRows, runs, running, ended);
  }

  /** A lifecycle as {@code viewer} sees it: the tasks they may see, as Tasklist would show them (revokes hold). */
  public Optional<LifecycleView> lifecycle(String id, String viewer, List<String> viewerGroups) {
    HistoricProcessInstance root = history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult();
    if (root == null || !Processes.LIFECYCLES.contains(root.getProcessDefinitionKey())) {
      return Optional.empty();
    }
    Instant now = Instant.now();
    LifecycleRow summary = row(root);
    List<HistoricProcessInstance> tree = history.createHistoricProcessInstanceQuery().rootProcessInstanceId(id).list();
    Map<String, String> whereById = new LinkedHashMap<>();
    tree.forEach(instance -> whereById.put(instance.getId(), where(instance)));
    List<Step> steps = new ArrayList<>();
    for (HistoricProcessInstance instance : tree) {
      for (HistoricActivityInstance activity : history.createHistoricActivityInstanceQuery()
          .processInstanceId(instance.getId()).unfinished().orderByHistoricActivityInstanceStartTime().asc().list()) {
        if (!CONTAINERS.contains(activity.getActivityType())) {
          steps.add(new Step(whereById.get(instance.getId()), activity.getActivityName() == null ? activity.getActivityId()
              : activity.getActivityName(), activity.getStartTime().toInstant()));
        }
      }
    }
    List<TaskRow> taskRows = new ArrayList<>();
    List<IncidentRow> incidents = new ArrayList<>();
    String[] ids = whereById.keySet().toArray(String[]::new);
    if (summary.running()) {
      for (Task task : asViewer(viewer, viewerGroups, () -> tasks.createTaskQuery().processInstanceIdIn(ids)
          .orderByTaskCreateTime().asc().list())) {
        List<String> groups = tasks.getIdentityLinksForTask(task.getId()).stream()
            .filter(link -> IdentityLinkType.CANDIDATE.equals(link.getType()) && link.getGroupId() != null)
            .map(IdentityLink::getGroupId).toList();
        taskRows.add(new TaskRow(task.getId(), task.getName(), whereById.get(task.getProcessInstanceId()), task.getAssignee(),
            groups, task.getCreateTime().toInstant()));
      }
      for (String processInstanceId : ids) {
        runtime.createIncidentQuery().processInstanceId(processInstanceId).list().forEach(incident -> incidents.add(
            new IncidentRow(whereById.get(processInstanceId), incident.getIncidentMessage(),
                incident.getIncidentTimestamp().toInstant())));
      }
    }
    List<RunView> runs = progress.ofLifecycle(id).stream().map(run -> runView(run, summary.title(), now)).toList();
    return Optional.of(new LifecycleView(summary, trail.outcomes(root).enclaves(), steps, taskRows, incidents, runs));
  }

  private <T> T asViewer(String viewer, List<String> groups, java.util.function.Supplier<T> read) {
    identity.setAuthentication(viewer, groups);
    try {
      return read.get();
    } finally {
      identity.clearAuthentication();
    }
  }

  private LifecycleRow row(HistoricProcessInstance root) {
    List<String> now = new ArrayList<>();
    if (root.getEndTime() == null) {
      for (HistoricProcessInstance instance : history.createHistoricProcessInstanceQuery()
          .rootProcessInstanceId(root.getId()).unfinished().list()) {
        for (HistoricActivityInstance activity : history.createHistoricActivityInstanceQuery()
            .processInstanceId(instance.getId()).unfinished().list()) {
          if (!CONTAINERS.contains(activity.getActivityType())) {
            String where = where(instance);
            now.add((where.isEmpty() ? "" : where + ": ") + activity.getActivityName());
          }
        }
      }
    }
    return new LifecycleRow(root.getId(), root.getProcessDefinitionKey(), title(root), root.getStartUserId(),
        root.getStartTime().toInstant(), root.getEndTime() == null ? null : root.getEndTime().toInstant(),
        trail.outcomes(root).lifecycle(), now);
  }

  private static String title(HistoricProcessInstance root) {
    return switch (root.getProcessDefinitionKey()) {
      case Processes.BASELINE -> "Baseline";
      case Processes.UPDATE -> "Update";
      case Processes.ROLLBACK -> "Rollback";
      case Processes.MEDIA_RECEIPT -> "Media receipt";
      default -> root.getProcessDefinitionName();
    };
  }

  private String titleOf(String lifecycleId) {
    HistoricProcessInstance root = history.createHistoricProcessInstanceQuery().processInstanceId(lifecycleId).singleResult();
    return root == null ? lifecycleId : title(root);
  }

  /** Which part of a lifecycle an instance is: the build, or the delivery to one enclave. */
  private String where(HistoricProcessInstance instance) {
    return switch (instance.getProcessDefinitionKey()) {
      case Processes.GENERATION -> "Build";
      case Processes.DELIVERY -> "Delivery to " + variable(instance.getId(), Variables.ENCLAVE);
      default -> "";
    };
  }

  private String variable(String processInstanceId, String name) {
    return history.createHistoricVariableInstanceQuery().processInstanceId(processInstanceId).variableName(name).list()
        .stream().findFirst().map(HistoricVariableInstance::getValue).map(String::valueOf).orElse("?");
  }

  private List<String> imported(String enclave) {
    return enclaves.lineagesOf(enclave).stream().map(lineage -> "lineage " + lineage.substring(0, Math.min(8, lineage.length()))
        + ": generations " + enclaves.importedGenerations(enclave, lineage).stream().sorted().toList()).toList();
  }

  private List<ClusterRow> clusters(String enclave) {
    Map<String, ClusterRow> live = new LinkedHashMap<>();
    for (ClusterApply apply : applies.history(enclave)) {
      live.put(apply.cluster(), new ClusterRow(apply.cluster(), apply.generation(), apply.rollback(), apply.appliedAt()));
    }
    return List.copyOf(live.values());
  }

  static RunView runView(RunProgress run, String lifecycleTitle, Instant now) {
    Integer percent = run.imagesTotal() == null || run.imagesTotal() == 0 ? null
        : Math.min(100, run.imagesDone() * 100 / run.imagesTotal());
    return new RunView(run, lifecycleTitle, stepName(run.step()), duration(run.elapsed(now)),
        run.imagesPerMinute(now).map(rate -> String.format(java.util.Locale.ROOT, "%.1f images/min", rate)).orElse("not yet"),
        run.estimatedRemaining(now).map(LifecycleViews::duration).map(left -> "about " + left).orElse(
            run.finished() ? "finished" : "not yet known"), percent, run.lastLines(LOG_LINES),
        !run.finished() && run.updatedAt().plus(OUT_OF_SIGHT).isBefore(now)
            ? duration(Duration.between(run.updatedAt(), now)) : null);
  }

  static String stepName(String topic) {
    return switch (topic) {
      case Topics.DRY_RUN -> "Dry run";
      case Topics.MIRROR_TO_DISK -> "Mirror to disk";
      case Topics.IMPORT -> "Import into the enclave's registry";
      default -> topic;
    };
  }

  /** "42 s", "3 min 05 s", "2 h 07 min". */
  static String duration(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return String.format(java.util.Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(java.util.Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
  }
}
