package dev.ocmirror.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocmirror.orchestrator.audit.AuditSeals;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.EndEvents;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Topics;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.process.LifecycleDriver;
import dev.ocmirror.orchestrator.process.OcMirrorWorker;
import dev.ocmirror.orchestrator.support.HttpApi;
import dev.ocmirror.orchestrator.support.ServiceTest;
import dev.ocmirror.orchestrator.support.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricExternalTaskLog;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 17's kill campaign: one monthly update per kill point, on two nodes and PostgreSQL. node-b, a JVM of its
 * own, works every step until it reaches the kill point and is killed with SIGKILL (with the processes it waits on,
 * as when its machine dies); then node-a, this test's service, idle until then, takes over, or node-b alone is
 * started again. People act through node-a's engine, but for the approval that the APPROVAL point sends to node-b's
 * REST API. After each run: the update reached its right end once, the transfer approved once, the ledger holds
 * (each generation once, the transfer IMPORTED with every generation it carried imported,
 * every archive the ledger counts on in the store), every oc-mirror run of the lifecycle ran once, each cluster got
 * the generation's resources once, the media's custody was signed once at each step, and the lifecycle was sealed
 * once in an intact chain.
 *
 * <p>CI runs a sample of the kill points; {@code ./mvnw verify -Dtest=KillCampaignTest -Dkill.campaign=all} runs
 * every one (about nine minutes; {@code -Dkill.campaign=STAGING,CLOSE} the named ones) and writes the table of
 * docs/reliability.md to target/kill-campaign.md.
 */
@ServiceTest
class KillCampaignTest {

  /** Where node-b dies, how the test sees it there, and what the survivor must do. */
  enum Point {
    VALIDATE("validate and diff the configuration (not committed)", "prepareConfiguration", Trigger.LISTENER, false, false,
        "ran the step again once the job's lock expired"),
    DRY_RUN("dry run, mid-run", "dryRun", Trigger.MIRROR_RUN, false, false,
        "reattached to the detached dry run by its id; no second run"),
    MIRROR_TO_DISK("mirrorToDisk, mid-run", "mirrorToDisk", Trigger.MIRROR_RUN, false, true,
        "reattached to the detached run by its id; no second run"),
    INGEST_AND_RETENTION("ingest and retention (archives moved into the store and ingested, the generation before"
        + " recorded as deleted and deleted; the step not committed)", "recordGeneration", Trigger.LISTENER, false, true,
        "found the generation recorded (the ingest commits on its own) and did not ingest it again; retention found"
        + " nothing more to delete"),
    PLAN("plan (not committed)", "planTransfer", Trigger.LISTENER, false, false, "planned again: one transfer"),
    APPROVAL("the change manager's approval, sent to node-b's REST API (its transaction not committed)", "reviewTransfer",
        Trigger.PERSON, false, true, "nothing to take over: the change manager's request failed with the node and nothing"
            + " of it stayed (no approval recorded, the task open); approved again through node-a: one approval"),
    STAGING("staging (every file copied and the manifest signed; not committed)", "stageMedia", Trigger.LISTENER, false,
        false, "skipped the files already on the media with the right hash, signed again: one STAGED"),
    AFTER_HANDOVER("after the handover, before receipt (nothing running)", "confirmReceipt", Trigger.HANDED_OVER, false,
        false, "nothing to take over: the receipt waited in Tasklist"),
    RECEIPT("receipt verification (every file hashed on the import host; not committed)", "verifyReceipt", Trigger.LISTENER,
        false, false, "verified the media again: one VERIFIED"),
    DISK_TO_MIRROR("diskToMirror, mid-run", "importGeneration", Trigger.IMPORT_RUN, false, true,
        "reattached to the detached import by its id; no second import"),
    REGISTRY_CHECK("registry check (not committed)", "verifyRegistry", Trigger.LISTENER, false, false,
        "checked the registry again"),
    BETWEEN_CLUSTERS("`oc apply` between two clusters (prod applied, dr not yet)", "applyClusterResources",
        Trigger.BETWEEN_CLUSTERS, false, true, "applied dr only: prod's apply was recorded when it happened"),
    CLOSE("close (not committed)", "closeTransfer", Trigger.LISTENER, false, false, "closed the transfer again"),
    SEALING("sealing (the lifecycle ended on node-b, which died before sealing it)", null, Trigger.ENDED, false, false,
        "sealed the lifecycle once, chained to the seal before"),
    RESTART_ALONE("the service restarted alone while mirrorToDisk runs detached", "mirrorToDisk", Trigger.MIRROR_RUN, true,
        false, "node-b, started again, reattached to its own run by its id");

    final String label;
    final String activity;
    final Trigger trigger;
    final boolean restartAlone;
    final boolean inSample;
    final String survivor;

    Point(String label, String activity, Trigger trigger, boolean restartAlone, boolean inSample, String survivor) {
      this.label = label;
      this.activity = activity;
      this.trigger = trigger;
      this.restartAlone = restartAlone;
      this.inSample = inSample;
      this.survivor = survivor;
    }
  }

  enum Trigger { LISTENER, PERSON, MIRROR_RUN, IMPORT_RUN, HANDED_OVER, BETWEEN_CLUSTERS, ENDED }

  private static SharedSite site;
  private static Process nodeB;
  private static CompletableFuture<HttpApi.Response> approvalSentToNodeB;
  private static final List<String> IMAGES = new ArrayList<>();
  private static final List<String> ROWS = new ArrayList<>();

  @DynamicPropertySource
  static void sharedConfiguration(DynamicPropertyRegistry registry) throws Exception {
    site = SharedSite.start("orchestrator_kill_campaign_it", Files.createTempDirectory("kill-campaign"));
    site.properties().forEach((key, value) -> registry.add(key, () -> value));
    registry.add("camunda.bpm.generic-properties.properties.hostname", () -> "node-a");
    registry.add("orchestrator.worker.worker-id", () -> "node-a");
    registry.add("orchestrator.audit.seal-interval", () -> "PT1S");
  }

  static Stream<Point> points() {
    String chosen = System.getProperty("kill.campaign", "");
    return Arrays.stream(Point.values()).filter(point -> chosen.isEmpty() ? point.inSample
        : chosen.equals("all") || Arrays.asList(chosen.split(",")).contains(point.name()));
  }

  /** A point that failed leaves neither its node nor its request behind to confuse the next. */
  @AfterEach
  void nothingLeftOfThisPoint() {
    if (nodeB != null) {
      kill(nodeB);
      nodeB = null;
    }
    approvalSentToNodeB = null;
  }

  @AfterAll
  static void stopAll() throws IOException {
    Path table = Path.of("target", "kill-campaign.md");
    Files.createDirectories(table.getParent());
    Files.writeString(table, "| kill point | what the survivor did | time to recover |\n|---|---|---|\n"
        + String.join("\n", ROWS) + "\n");
    System.out.println("Kill campaign:\n" + Files.readString(table));
    site.close();
  }

  @Autowired
  ProcessEngine engine;
  @Autowired
  RuntimeService runtime;
  @Autowired
  TaskService tasks;
  @Autowired
  HistoryService history;
  @Autowired
  ExternalTaskService externalTasks;
  @Autowired
  OcMirrorWorker worker;
  @Autowired
  LifecycleProperties properties;
  @Autowired
  AuditSeals seals;
  @Autowired
  DataSource dataSource;

  @ParameterizedTest(name = "{0}")
  @MethodSource("points")
  void aNodeKilledAtThisPointLosesNothingAndTheUpdateEndsOnce(Point point) throws Exception {
    LifecycleDriver people = new LifecycleDriver(engine, "op", "op2", "cm");
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    if (IMAGES.isEmpty()) {
      IMAGES.add(site.mirror().alpha());
      people.deliver(people.start("mirror-baseline", LifecycleDriver.config(site.mirror().alpha()), "west"), List.of("west"));
    }
    worker.stop();
    jobExecutor().shutdown();

    Path marker = site.dir().resolve("killed-at");
    Files.deleteIfExists(marker);
    Map<String, String> armed = new HashMap<>(Map.of("orchestrator.audit.seal-interval", "PT10M"));
    if (point.trigger == Trigger.LISTENER || point.trigger == Trigger.PERSON) {
      armed.put("test.kill-point.activity", point.activity);
      armed.put("test.kill-point.marker", marker.toString());
    }
    List<Path> holds = holdsFor(point);
    for (Path hold : holds) {
      Files.writeString(hold, "1500");
    }
    nodeB = site.startNode("node-b", armed);
    people.waitFor("node-b to start", () -> nodeB.isAlive() && site.logOf("node-b").contains("Started OrchestratorApplication"));

    String repository = "demo/k" + IMAGES.size();
    site.mirror().source().pushImage(repository, "v1", TestRegistry.randomLayer(16 * 1024));
    IMAGES.add(site.mirror().source().hostPort() + "/" + repository + ":v1");
    ProcessInstance update = people.start("mirror-update", LifecycleDriver.config(IMAGES.toArray(String[]::new)), "west");
    // The approval at the PERSON point is node-b's to receive: node-a's people leave it until then.
    play(people, update, "node-b to reach: " + point.label, () -> reached(point, marker, update),
        point.trigger == Trigger.PERSON ? point.activity : null);

    Instant killedAt = Instant.now();
    kill(nodeB);
    if (approvalSentToNodeB != null) {
      assertThatThrownBy(approvalSentToNodeB::join).as("the change manager's request to the killed node")
          .hasRootCauseInstanceOf(IOException.class);
      approvalSentToNodeB = null;
      assertThat(tasks.createTaskQuery().taskDefinitionKey("reviewTransfer").count()).as("the approval task, still open")
          .isEqualTo(1);
      assertThat(jdbc.queryForObject("select count(*) from approval a join ledger_transfer t on t.id = a.subject"
          + " where t.lifecycle_id = ?", Integer.class, update.getId())).as("approvals kept from the killed request").isZero();
    }
    for (Path hold : holds) {
      Files.deleteIfExists(hold);
    }
    if (point.restartAlone) {
      nodeB = site.startNode("node-b", Map.of("orchestrator.audit.seal-interval", "PT10M"));
    } else {
      nodeB = null;
      jobExecutor().start();
      worker.start();
    }
    play(people, update, "the update to end after the kill", () -> ended(update), null);
    Duration recovery = point.activity == null || point.trigger == Trigger.HANDED_OVER ? null : recoveryOf(update, point, killedAt);
    if (point.restartAlone) {
      kill(nodeB);
      nodeB = null;
      jobExecutor().start();
      worker.start();
    }
    people.waitFor("the update's seal", () -> seals.sealOf(update.getId()).isPresent());
    Duration sealed = Duration.between(killedAt, seals.sealOf(update.getId()).orElseThrow().sealedAt());

    assertTheUpdateEndedOnceAndNothingWasLost(people, jdbc, update, repository);
    ROWS.add("| " + point.label + " | " + point.survivor + " | " + (point.trigger == Trigger.ENDED ? seconds(sealed) + " (to the seal)"
        : recovery == null ? "none" : seconds(recovery)) + " |");
  }

  private void assertTheUpdateEndedOnceAndNothingWasLost(LifecycleDriver people, JdbcTemplate jdbc, ProcessInstance update,
      String repository) throws IOException {
    assertThat(activitiesOf(update.getId())).as("the update's end").filteredOn(id -> id.equals(EndEvents.DELIVERED)).hasSize(1);
    assertThat(people.historicActivities(update, "west")).as("the delivery's end").containsOnlyOnce("enclaveUpdated");
    assertThat(history.createHistoricProcessInstanceQuery().superProcessInstanceId(update.getId())
        .processDefinitionKey("enclave-delivery").count()).as("deliveries to west").isEqualTo(1);
    assertThat(runtime.createIncidentQuery().count()).as("incidents").isZero();
    assertThat(tasks.createTaskQuery().count()).as("tasks left open").isZero();

    // The ledger: each generation once, numbered without gaps, one per lifecycle delivered.
    String lineage = jdbc.queryForObject("select id from ledger_lineage", String.class);
    List<Integer> numbers = jdbc.queryForList("select number from ledger_generation where lineage_id = ? order by number",
        Integer.class, lineage);
    assertThat(numbers).as("generations").containsExactlyElementsOf(IntStream.rangeClosed(1, IMAGES.size()).boxed().toList());
    int generation = numbers.get(numbers.size() - 1);

    // The transfer: IMPORTED, every generation it carried imported once into west's cache.
    Map<String, Object> transfer = jdbc.queryForMap("select id, state, generations from ledger_transfer where lifecycle_id = ?",
        update.getId());
    assertThat(transfer.get("state")).as("the transfer").isEqualTo("IMPORTED");
    for (String carried : ((String) transfer.get("generations")).split(",")) {
      assertThat(jdbc.queryForObject("select count(*) from ledger_enclave_generation where enclave = 'west' and lineage_id = ?"
          + " and generation_number = ?", Integer.class, lineage, Integer.parseInt(carried.trim()))).as("generation " + carried
              + " imported into west").isEqualTo(1);
    }
    assertThat(jdbc.queryForList("select decided_by from approval where subject = ?", String.class, transfer.get("id")))
        .as("approvals of the transfer").containsExactly("cm");
    assertThat(jdbc.queryForList("select kind from custody_event where transfer_id = ? order by id", String.class,
        transfer.get("id"))).as("the media's custody").containsExactly("STAGED", "HANDED_OVER", "RECEIVED", "VERIFIED");

    // Every archive the ledger counts on is in the store, whole.
    jdbc.query("select g.number, g.store_path, a.file_name, a.size_bytes from ledger_archive a join ledger_generation g on"
        + " g.id = a.generation_id where g.archives_deleted_at is null", rs -> {
          Path archive = Path.of(rs.getString(2), rs.getString(3));
          assertThat(archive).as("archive of generation " + rs.getInt(1)).exists();
          try {
            assertThat(Files.size(archive)).as(archive.toString()).isEqualTo(rs.getLong(4));
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });

    // Every oc-mirror run of the lifecycle started once, a retry only after the run before ended.
    for (HistoricExternalTaskLog created : history.createHistoricExternalTaskLogQuery().creationLog().list()) {
      if (update.getId().equals(created.getRootProcessInstanceId())) {
        Path runs = site.dir().resolve(created.getTopicName().equals(Topics.IMPORT) ? "west/runs" : "mirror/runs");
        LifecycleDriver.assertRunsNeverOverlap(runs, created.getExternalTaskId());
      }
    }

    // Each cluster got the generation's resources once, as the ledger says.
    String delivery = people.deliveryOf(update, "west");
    List<Map<String, Object>> applies = jdbc.queryForList("select cluster, resources from ledger_cluster_apply where"
        + " process_instance_id = ? order by cluster", delivery);
    assertThat(applies).extracting(row -> row.get("cluster")).as("clusters applied").containsExactly("dr", "prod");
    List<String> applyLog = Files.readAllLines(site.dir().resolve("bin/oc-apply.log"));
    String directory = properties.enclave("west").importDirectory(lineage, generation) + "/";
    for (Map<String, Object> apply : applies) {
      long files = ((String) apply.get("resources")).split(",").length;
      assertThat(applyLog.stream().filter(line -> line.contains("kube/" + apply.get("cluster") + " ") && line.contains(directory)))
          .as("applies of generation " + generation + " to " + apply.get("cluster")).hasSize((int) files);
    }

    assertThat(site.target().manifestDigest("mirror/" + repository, "v1")).as("the new image in west's registry")
        .isEqualTo(site.mirror().source().manifestDigest(repository, "v1"));
    assertThat(jdbc.queryForObject("select count(*) from audit_seal where process_instance_id = ?", Integer.class, update.getId()))
        .as("seals of the update").isEqualTo(1);
    assertThat(seals.verify().intact()).as("the seal chain").isTrue();
  }

  /** Plays the people (approve, hand over, receive) until the condition holds, looking at it before each act. */
  private void play(LifecycleDriver people, ProcessInstance update, String what, BooleanSupplier until, String leftToNodeB) {
    people.waitFor(what, () -> {
      if (until.getAsBoolean()) {
        return true;
      }
      people.actOnOpenTasksBut(leftToNodeB);
      return false;
    });
  }

  private boolean reached(Point point, Path marker, ProcessInstance update) {
    return switch (point.trigger) {
      case LISTENER -> Files.exists(marker);
      case PERSON -> approvedThroughNodeB(marker);
      case MIRROR_RUN -> runningOnNodeB(point.activity.equals("dryRun") ? Topics.DRY_RUN : Topics.MIRROR_TO_DISK, "mirror/runs");
      case IMPORT_RUN -> runningOnNodeB(Topics.IMPORT, "west/runs");
      case HANDED_OVER -> tasks.createTaskQuery().taskDefinitionKey("confirmReceipt").count() == 1;
      case BETWEEN_CLUSTERS -> Files.exists(site.dir().resolve("bin/held-dr"));
      case ENDED -> ended(update);
    };
  }

  /**
   * The change manager approves through node-b's REST API, as Tasklist on that node would; the request waits while
   * node-b halts in the approval's transaction.
   */
  private boolean approvedThroughNodeB(Path marker) {
    if (Files.exists(marker)) {
      return true;
    }
    Task review = tasks.createTaskQuery().taskDefinitionKey("reviewTransfer").singleResult();
    if (review == null || approvalSentToNodeB != null) {
      return false;
    }
    Matcher port = Pattern.compile("Tomcat started on port (\\d+)").matcher(site.logOf("node-b"));
    assertThat(port.find()).as("node-b's port in its log").isTrue();
    HttpApi changeManager = HttpApi.anonymous(Integer.parseInt(port.group(1))).as("cm", "cm-secret");
    approvalSentToNodeB = CompletableFuture.supplyAsync(() -> changeManager.post("/engine-rest/task/" + review.getId()
        + "/complete", "{\"variables\":{\"approved\":{\"value\":true},\"reviewComment\":{\"value\":\"ok\"}}}"));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(marker) && System.nanoTime() < deadline) {
      assertThat(approvalSentToNodeB).as("the approval sent to node-b, answered before it halted").isNotDone();
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    return Files.exists(marker);
  }

  private boolean runningOnNodeB(String topic, String runsDirectory) {
    var task = externalTasks.createExternalTaskQuery().topicName(topic).workerId("node-b").locked().singleResult();
    return task != null && Files.exists(site.dir().resolve(runsDirectory + "/task-" + task.getId() + "-1/pid"));
  }

  /** The oc-mirror runs a kill point needs slowed, or the cluster held, while node-b works. */
  private List<Path> holdsFor(Point point) {
    return switch (point.trigger) {
      case MIRROR_RUN -> List.of(site.slowFile(Optional.empty()));
      case IMPORT_RUN -> List.of(site.slowFile(Optional.of("west")));
      case BETWEEN_CLUSTERS -> List.of(site.dir().resolve("bin/hold-dr"));
      default -> List.of();
    };
  }

  private boolean ended(ProcessInstance update) {
    return history.createHistoricProcessInstanceQuery().processInstanceId(update.getId()).finished().count() == 1;
  }

  /** From the kill to the end of the step the node died in, as the survivor finished it. */
  private Duration recoveryOf(ProcessInstance update, Point point, Instant killedAt) {
    Instant end = history.createHistoricActivityInstanceQuery().activityId(point.activity).finished().list().stream()
        .filter(activity -> update.getId().equals(activity.getRootProcessInstanceId()))
        .map(HistoricActivityInstance::getEndTime).map(java.util.Date::toInstant)
        .filter(time -> time.isAfter(killedAt)).min(Instant::compareTo)
        .orElseThrow(() -> new AssertionError(point.activity + " did not end after the kill"));
    return Duration.between(killedAt, end);
  }

  private List<String> activitiesOf(String processInstanceId) {
    return history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId).list().stream()
        .map(HistoricActivityInstance::getActivityId).toList();
  }

  private JobExecutor jobExecutor() {
    return ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
  }

  /** SIGKILL of the node and of the processes it waits on (an {@code oc apply}), as when its machine dies. */
  private static void kill(Process node) {
    List<ProcessHandle> children = node.descendants().toList();
    node.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      node.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }
}
