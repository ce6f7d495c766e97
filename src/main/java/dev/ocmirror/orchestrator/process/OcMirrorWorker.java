package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Topics;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables;
import dev.ocmirror.orchestrator.control.ControlRefused;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.Hosts;
import dev.ocmirror.orchestrator.lifecycle.ImportGeneration;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.lifecycle.MirrorToDisk;
import dev.ocmirror.orchestrator.lifecycle.OcMirrorStep;
import dev.ocmirror.orchestrator.lifecycle.RunVerdict;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorProgress;
import dev.ocmirror.orchestrator.ocmirror.RunRefused;
import dev.ocmirror.orchestrator.progress.RunProgress;
import dev.ocmirror.orchestrator.progress.RunProgressRecords;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.HostException;
import dev.ocmirror.orchestrator.remote.RunStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.ExternalTaskQueryBuilder;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Works the external tasks that run oc-mirror, inside the service through the engine's Java API. A fetched task
 * holds a short lock that a heartbeat extends while its run lives, so no job, transaction or connection is held
 * for hours, and a dead node's task is taken over minutes later. The run id is derived from the task and its
 * attempt, so the node that takes over reattaches to the detached run instead of starting a second one.
 */
@Component
public class OcMirrorWorker implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(OcMirrorWorker.class);
  /** How often a followed run's progress is looked at for people watching it. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
  /**
   * How often a followed run is asked whether it has ended (one stat): a run that ends is judged at once. Over SSH each
   * stat is an SFTP channel (and an sftp-server process on the host), so there once a second.
   */
  private static final Duration EXIT_LOOK_EVERY = Duration.ofMillis(250);
  private static final Duration EXIT_LOOK_OVER_SSH_EVERY = Duration.ofSeconds(1);
  private static final List<String> VARIABLES = List.of(Variables.LINEAGE, Variables.GENERATION, Variables.IMAGESET_CONFIG,
      Variables.ENCLAVE, Variables.IMPORT_GENERATION, Variables.TRANSFER_ID);

  private final ExternalTaskService externalTasks;
  private final RuntimeService runtime;
  private final LifecycleProperties.Worker settings;
  private final LifecycleMetrics metrics;
  private final RunProgressRecords progressRecords;
  private final Map<String, OcMirrorStep> stepsByTopic;
  private Map<String, OcMirrorStep> steps = Map.of();
  private final String workerId;
  private final Semaphore slots;
  private ScheduledExecutorService poller;
  private ExecutorService runs;
  private volatile boolean running;
  private final java.util.concurrent.atomic.AtomicBoolean pollRequested = new java.util.concurrent.atomic.AtomicBoolean();
  /** Times each task's run was left for reattaching in a row; bounded, so that a lasting fault becomes an incident. */
  private final Map<String, Integer> leftForReattach = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int LEFT_AT_MOST = 10;

  public OcMirrorWorker(ExternalTaskService externalTasks, RuntimeService runtime, LifecycleProperties properties,
      Hosts hosts, ImportGeneration importGeneration, LifecycleMetrics metrics, RunProgressRecords progressRecords) {
    this.metrics = metrics;
    this.progressRecords = progressRecords;
    this.externalTasks = externalTasks;
    this.runtime = runtime;
    this.settings = properties.worker();
    this.stepsByTopic = stepsByTopic(MirrorToDisk.dryRun(properties, hosts), MirrorToDisk.archives(properties, hosts),
        importGeneration);
    this.workerId = settings.workerId() != null ? settings.workerId() : hostname() + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.slots = new Semaphore(settings.maxRuns());
  }

  @Override
  public void start() {
    if (!settings.enabled()) {
      LOG.info("The oc-mirror worker is disabled (orchestrator.worker.enabled=false); another node must work the runs");
      return;
    }
    steps = stepsByTopic;
    pollRequested.set(false);
    runs = Executors.newFixedThreadPool(settings.maxRuns(), runnable -> {
      Thread thread = new Thread(runnable, "oc-mirror-run");
      thread.setDaemon(true);
      return thread;
    });
    poller = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "oc-mirror-poller"));
    poller.scheduleWithFixedDelay(this::pollSafely, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    running = true;
    LOG.info("oc-mirror worker {} polls every {} for topics {}", workerId, settings.pollInterval(), steps.keySet());
  }

  /** The step that works each topic of the models. */
  static Map<String, OcMirrorStep> stepsByTopic(MirrorToDisk dryRun, MirrorToDisk archives, ImportGeneration importGeneration) {
    return Map.of(Topics.DRY_RUN, dryRun, Topics.MIRROR_TO_DISK, archives, Topics.IMPORT, importGeneration);
  }

  @Override
  public void stop() {
    running = false;
    if (poller != null) {
      poller.shutdownNow();
    }
    if (runs != null) {
      // The runs themselves go on as detached processes; the next node to lock a task reattaches.
      runs.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  public String workerId() {
    return workerId;
  }

  /**
   * Asks for work now rather than at the next interval: a task was just created on this node, or a slot freed.
   * Requests while one is pending count once.
   */
  public void pollSoon() {
    ScheduledExecutorService current = poller;
    if (running && current != null && pollRequested.compareAndSet(false, true)) {
      try {
        current.execute(() -> {
          pollRequested.set(false);
          pollSafely();
        });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        pollRequested.set(false);
      }
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("oc-mirror worker {} could not fetch tasks: {}", workerId, e.toString());
    }
  }

  /** Fetches and starts as many tasks as there are free slots; returns how many. */
  int poll() {
    int free = slots.availablePermits();
    if (free == 0) {
      return 0;
    }
    ExternalTaskQueryBuilder fetch = externalTasks.fetchAndLock(free, workerId);
    for (String topic : steps.keySet()) {
      fetch = fetch.topic(topic, settings.lockDuration().toMillis()).variables(VARIABLES);
    }
    List<LockedExternalTask> tasks = fetch.execute();
    for (LockedExternalTask task : tasks) {
      slots.acquireUninterruptibly();
      runs.submit(() -> {
        try {
          work(task);
        } catch (ControlRefused | RunRefused refused) {
          // Retrying cannot bring the missing record into being: an incident at once, with what is missing.
          fail(task, refused.getMessage(), stackTrace(refused), RetryPolicy.INTERVAL, 0);
        } catch (DecisionNeeded decision) {
          // Found before any run started (media changed since their verification): a person decides, as after a run.
          decide(task, decision.reason(), decision.getMessage(), decision.details());
        } catch (RuntimeException e) {
          if (running && (e instanceof RunOutOfSight || DatabaseUnreachable.causes(e)) && outOfSight(task)) {
            // Reporting would fail too, or count an attempt the run never failed: the task's lock expires and this
            // attempt's run is reattached and judged again.
            LOG.warn("Task {}: its run goes on and is reattached once the task's lock expires: {}", task.getId(), e.toString());
          } else if (running) {
            fail(task, "oc-mirror step failed: " + e.getMessage(), stackTrace(e), RetryPolicy.INTERVAL);
          } else {
            // Stopping interrupts what the thread was doing; the run and the task are left for the next node.
            LOG.info("Worker {} stopped while following task {}; the run goes on", workerId, task.getId());
          }
        } finally {
          slots.release();
          // A task may be waiting for this slot.
          pollSoon();
        }
      });
    }
    return tasks.size();
  }

  private void decide(LockedExternalTask task, DecisionNeeded.Reason reason, String message, String details) {
    externalTasks.handleBpmnError(task.getId(), workerId, reason.name(), message, Map.of(Variables.FAILURE_REASON,
        reason.name(), Variables.FAILURE_SUMMARY, message, Variables.FAILURE_DETAILS,
        StepDelegate.truncated(details == null ? "" : details)));
  }

  private void work(LockedExternalTask task) {
    OcMirrorStep step = steps.get(task.getTopicName());
    int attempt = task.getRetries() == null ? 1 : RetryPolicy.ATTEMPTS - task.getRetries() + 1;
    OcMirrorStep.Purpose purpose = purpose(task, attempt);
    try (Host host = step.openHost(purpose)) {
      OcMirrorClient client = step.client(host, purpose);
      String runId = runToFollow(client, task.getId(), attempt);
      // Starting may take long (an import first copies the archives from the media): keep the lock meanwhile.
      long beat = settings.lockDuration().dividedBy(4).toMillis();
      java.util.concurrent.ScheduledFuture<?> heartbeat = poller.scheduleWithFixedDelay(() -> lock(task), beat, beat,
          TimeUnit.MILLISECONDS);
      DetachedRun run;
      try {
        run = step.start(client, runId, purpose);
      } finally {
        heartbeat.cancel(false);
      }
      LOG.info("{} run {} for process instance {} on {}", run.startedNow() ? "Started" : "Reattached to", runId,
          task.getProcessInstanceId(), host.name());
      try {
        followAndJudge(task, step, purpose, client, run, runId, host.name(),
            host instanceof dev.ocmirror.orchestrator.remote.LocalHost ? EXIT_LOOK_EVERY : EXIT_LOOK_OVER_SSH_EVERY);
      } catch (HostException lostSight) {
        throw new RunOutOfSight(runId, host.name(), lostSight);
      }
    } catch (HostException unreachable) {
      if (leftForReattach.containsKey(task.getId())) {
        // This node left the task while its run went on: a host still away says nothing of the run.
        throw new RunOutOfSight("task-" + task.getId() + "-" + attempt, "its host", unreachable);
      }
      throw unreachable;
    }
  }

  /**
   * This attempt's run id, unless an earlier attempt's run still goes on or exited without its outcome taken (its node
   * lost sight of it and the attempt was counted as failed, for instance because the host did not answer when the task
   * was fetched again): that run is followed and judged instead of a second one started in the same workspace, which
   * would find the first one's history there and archive only what the first did not.
   */
  static String runToFollow(OcMirrorClient client, String taskId, int attempt) {
    for (int earlier = attempt - 1; earlier >= 1; earlier--) {
      String id = "task-" + taskId + "-" + earlier;
      if (client.hasRun(id)) {
        DetachedRun run = client.attach(id);
        // A run that vanished without an exit status (its host rebooted) has nothing to judge: a new one is started.
        RunStatus status = run.status();
        if (!status.finished() || status.state() == RunStatus.State.EXITED
            && !run.outcomeTaken()) {
          return id;
        }
      }
    }
    return "task-" + taskId + "-" + attempt;
  }

  /** The host stopped answering while its run was followed: the run goes on there and is reattached by its id. */
  private static final class RunOutOfSight extends RuntimeException {
    RunOutOfSight(String runId, String host, HostException cause) {
      super("Lost sight of run " + runId + " on " + host + ": " + cause.getMessage(), cause);
    }
  }

  private void followAndJudge(LockedExternalTask task, OcMirrorStep step, OcMirrorStep.Purpose purpose, OcMirrorClient client,
      DetachedRun run, String runId, String hostName, Duration exitLook) {
    ProgressBoard board = new ProgressBoard(task, purpose, runId, hostName, client.watch(run));
    Instant nextHeartbeat = Instant.now();
    Instant nextLook = Instant.now();
    while (!run.status().finished()) {
      if (!Instant.now().isBefore(nextLook)) {
        board.look();
        nextLook = Instant.now().plus(PROGRESS_EVERY);
      }
      if (!Instant.now().isBefore(nextHeartbeat)) {
        Lock lock = lock(task);
        if (lock == Lock.GONE) {
          // The process no longer wants this run (cancelled, or moved on): stop it rather than let it run for hours.
          run.cancel();
          // So that the board shows the run ended, not running on forever.
          run.follow(dev.ocmirror.orchestrator.remote.OutputListener.IGNORE, Duration.ofMillis(200), Duration.ofSeconds(10));
          board.look();
          LOG.warn("Cancelled run {}: its task is gone", runId);
          return;
        }
        if (lock == Lock.LOST) {
          return;
        }
        board.report();
        nextHeartbeat = Instant.now().plus(settings.lockDuration().dividedBy(4));
      }
      try {
        awaitExit(run, settings.pollInterval(), exitLook);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.info("Worker stopping; run {} goes on and is reattached by the next worker", runId);
        return;
      }
    }
    board.look();
    board.report();
    RunVerdict verdict = step.finish(client, run, purpose);
    // Before reporting: if this node dies in between, this attempt judges the same run again, a later one does not.
    run.markOutcomeTaken();
    metrics.runFinished(task.getTopicName(), verdict.kind() == RunVerdict.Kind.DECISION_NEEDED ? verdict.reason().name()
        : verdict.kind().name());
    switch (verdict.kind()) {
      case COMPLETED -> externalTasks.complete(task.getId(), workerId, variables(verdict.results()));
      case DECISION_NEEDED -> decide(task, verdict.reason(), verdict.message(), verdict.details());
      case TECHNICAL_FAULT -> fail(task, verdict.message(), verdict.details(), verdict.retryAfter());
    }
    leftForReattach.remove(task.getId());
  }

  /** Whether the task may be left for reattaching once more, rather than counted as a failed attempt. */
  private boolean outOfSight(LockedExternalTask task) {
    if (leftForReattach.merge(task.getId(), 1, Integer::sum) <= LEFT_AT_MOST) {
      return true;
    }
    leftForReattach.remove(task.getId());
    return false;
  }

  /** Waits up to the poll interval, returning as soon as the run has written its exit status. */
  private static void awaitExit(DetachedRun run, Duration wait, Duration look) throws InterruptedException {
    Instant until = Instant.now().plus(wait);
    while (Instant.now().isBefore(until) && !run.hasExited()) {
      Thread.sleep(Math.max(1, Math.min(look.toMillis(), Duration.between(Instant.now(), until).toMillis())));
    }
  }

  private static OcMirrorStep.Purpose purpose(LockedExternalTask task, int attempt) {
    Map<String, Object> values = task.getVariables();
    return new OcMirrorStep.Purpose(task.getProcessInstanceId(), text(values, Variables.ENCLAVE),
        text(values, Variables.LINEAGE), number(values, Variables.GENERATION), text(values, Variables.IMAGESET_CONFIG),
        number(values, Variables.IMPORT_GENERATION), text(values, Variables.TRANSFER_ID), attempt);
  }

  private static String text(Map<String, Object> values, String name) {
    return values.get(name) instanceof String text ? text : null;
  }

  private static Integer number(Map<String, Object> values, String name) {
    return values.get(name) instanceof Number number ? Integer.valueOf(number.intValue()) : null;
  }

  /** The results a run reported, as the variables the models and the audit read. */
  static Map<String, Object> variables(RunVerdict.Results results) {
    Map<String, Object> variables = new HashMap<>();
    putPresent(variables, Variables.OC_MIRROR_VERSION, results.ocMirrorVersion());
    putPresent(variables, Variables.IMAGES_PLANNED, results.imagesPlanned());
    putPresent(variables, Variables.IMAGES_MISSING_FROM_CACHE, results.imagesMissingFromCache());
    putPresent(variables, Variables.ARCHIVES_WRITTEN, results.archivesWritten());
    putPresent(variables, Variables.LAST_IMPORTED_GENERATION, results.lastImportedGeneration());
    return variables;
  }

  private static void putPresent(Map<String, Object> variables, String name, Object value) {
    if (value != null) {
      variables.put(name, value);
    }
  }

  private enum Lock { HELD, GONE, LOST }

  /** Extends the lock; tells whether the task is gone (its process was cancelled) or another worker holds it. */
  private Lock lock(LockedExternalTask task) {
    try {
      externalTasks.extendLock(task.getId(), workerId, settings.lockDuration().toMillis());
      return Lock.HELD;
    } catch (org.camunda.bpm.engine.exception.NotFoundException gone) {
      LOG.warn("External task {} is gone (process ended or cancelled)", task.getId());
      return Lock.GONE;
    } catch (RuntimeException lost) {
      LOG.warn("Lost the lock of external task {}: {}", task.getId(), lost.getMessage());
      return Lock.LOST;
    }
  }

  /**
   * What a followed run is doing: on the progress board every few seconds, which the lifecycle pages read from any
   * node; and, less often, on the task's execution, where Cockpit shows it.
   */
  private final class ProgressBoard {

    private final LockedExternalTask task;
    private final OcMirrorStep.Purpose purpose;
    private final String runId;
    private final String hostName;
    private final OcMirrorClient.ProgressWatch watch;
    private final String lifecycleId;
    private final Instant startedAt = Instant.now();
    private OcMirrorProgress last;

    ProgressBoard(LockedExternalTask task, OcMirrorStep.Purpose purpose, String runId, String hostName,
        OcMirrorClient.ProgressWatch watch) {
      this.task = task;
      this.purpose = purpose;
      this.runId = runId;
      this.hostName = hostName;
      this.watch = watch;
      this.lifecycleId = lifecycleOf(task.getProcessInstanceId());
    }

    void look() {
      try {
        last = watch.look();
        progressRecords.record(new RunProgress(runId, lifecycleId, task.getProcessInstanceId(), task.getTopicName(),
            hostName, purpose.enclave(), startedAt, Instant.now(), last.status().state().name(), last.imagesTotal(),
            last.imagesDone(), last.imageErrors(), last.currentImage(), last.logTail()));
      } catch (RuntimeException e) {
        // Watching is a courtesy to people: a failed look must not fail the run.
        LOG.debug("Cannot look at the progress of run {}: {}", runId, e.toString());
      }
    }

    void report() {
      if (last == null) {
        return;
      }
      try {
        runtime.setVariableLocal(task.getExecutionId(), Variables.OC_MIRROR_PROGRESS, last.summary() + " at " + Instant.now());
      } catch (RuntimeException e) {
        LOG.debug("Cannot report progress of {}: {}", task.getId(), e.toString());
      }
    }
  }

  /** The lifecycle a run works for; the process instance itself when that cannot be read (the run must not fail). */
  private String lifecycleOf(String processInstanceId) {
    try {
      org.camunda.bpm.engine.runtime.ProcessInstance instance = runtime.createProcessInstanceQuery()
          .processInstanceId(processInstanceId).singleResult();
      return instance == null || instance.getRootProcessInstanceId() == null ? processInstanceId
          : instance.getRootProcessInstanceId();
    } catch (RuntimeException e) {
      LOG.debug("Cannot read the lifecycle of {}: {}", processInstanceId, e.toString());
      return processInstanceId;
    }
  }

  private void fail(LockedExternalTask task, String message, String details, Duration retryAfter) {
    fail(task, message, details, retryAfter, (task.getRetries() == null ? RetryPolicy.ATTEMPTS : task.getRetries()) - 1);
  }

  private void fail(LockedExternalTask task, String message, String details, Duration retryAfter, int retries) {
    try {
      externalTasks.handleFailure(task.getId(), workerId, message.length() > 600 ? message.substring(0, 600) : message,
          details, Math.max(retries, 0), retryAfter.toMillis());
      LOG.warn("oc-mirror task {} failed ({} retries left): {}", task.getId(), Math.max(retries, 0), message);
    } catch (RuntimeException e) {
      LOG.warn("Cannot report the failure of external task {}: {}", task.getId(), e.toString());
    }
  }

  private static String stackTrace(Throwable error) {
    java.io.StringWriter text = new java.io.StringWriter();
    error.printStackTrace(new java.io.PrintWriter(text));
    return text.toString();
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "orchestrator";
    }
  }
}
