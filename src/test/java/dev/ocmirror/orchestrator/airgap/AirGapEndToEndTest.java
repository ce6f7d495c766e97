package dev.ocmirror.orchestrator.airgap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.process.LifecycleDriver;
import dev.ocmirror.orchestrator.simulator.MirrorFixture;
import dev.ocmirror.orchestrator.support.HttpApi;
import dev.ocmirror.orchestrator.support.OtherJvm;
import dev.ocmirror.orchestrator.support.ServiceTest;
import dev.ocmirror.orchestrator.support.StandIns;
import dev.ocmirror.orchestrator.support.TestPostgres;
import dev.ocmirror.orchestrator.support.TestRegistry;
import dev.ocmirror.orchestrator.support.TestSshd;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Both sides of a true air gap, each its own service with its own PostgreSQL database: this JVM is the connected
 * side, a second JVM the receiving station of enclave island. Nothing passes between them but files: the staged
 * media, copied as a courier would carry them, and the station's site report, typed back in as its text. Four months:
 * a baseline; a differential update; a differential the station refuses because its cache was lost, with the report
 * that says so; the cumulative set the connected side then sends, which the station imports.
 */
@ServiceTest
class AirGapEndToEndTest {

  private static final String CONNECTED_DATABASE = "orchestrator_airgap_connected";
  private static final String STATION_DATABASE = "orchestrator_airgap_station";
  private static Path dir;
  private static TestSshd sshd;
  private static MirrorFixture mirror;
  private static TestRegistry island;
  private static Process station;
  private static int stationPort;

  @DynamicPropertySource
  static void connectedSide(DynamicPropertyRegistry registry) throws Exception {
    TestPostgres.recreateDatabase(CONNECTED_DATABASE);
    TestPostgres.recreateDatabase(STATION_DATABASE);
    dir = Files.createTempDirectory("air-gap-e2e");
    sshd = TestSshd.start(dir.resolve("sshd"));
    mirror = MirrorFixture.start(dir.resolve("source"));
    island = TestRegistry.start(dir.resolve("island-registry"));
    ManifestSignature.writeNewKeyPair(dir.resolve("signing.pem"), dir.resolve("signing.pub.pem"));
    ManifestSignature.writeNewKeyPair(dir.resolve("station.pem"), dir.resolve("station.pub.pem"));

    registry.add("spring.datasource.url", () -> TestPostgres.url(CONNECTED_DATABASE));
    registry.add("spring.datasource.username", TestPostgres::user);
    registry.add("spring.datasource.password", TestPostgres::password);
    registry.add("camunda.bpm.job-execution.enabled", () -> "true");
    registry.add("orchestrator.worker.poll-interval", () -> "PT0.2S");
    Map<String, String> properties = new HashMap<>();
    ssh(properties, "orchestrator.mirror.host");
    properties.put("orchestrator.mirror.oc-mirror", mirror.ocMirror());
    properties.put("orchestrator.mirror.workspace-root", dir.resolve("mirror/workspaces").toString());
    properties.put("orchestrator.mirror.cache-directory", dir.resolve("mirror/cache").toString());
    properties.put("orchestrator.mirror.runs-directory", dir.resolve("mirror/runs").toString());
    properties.put("orchestrator.mirror.archive-store", dir.resolve("mirror/store").toString());
    // Every generation's archives stay, so that the cumulative set can still be made when the station's cache is lost
    // (with fewer kept, the plan says so and asks for a new baseline).
    properties.put("orchestrator.mirror.keep-for-rollback", "4");
    properties.put("orchestrator.media.staging-directory", dir.resolve("media").toString());
    properties.put("orchestrator.signing.private-key", dir.resolve("signing.pem").toString());
    properties.put("orchestrator.signing.public-key", dir.resolve("signing.pub.pem").toString());
    properties.put("orchestrator.enclaves[0].name", "island");
    properties.put("orchestrator.enclaves[0].reach", "media");
    properties.put("orchestrator.enclaves[0].station-public-key", dir.resolve("station.pub.pem").toString());
    properties.forEach((key, value) -> registry.add(key, () -> value));
  }

  /** The station: its own database, its enclave's import host, registry and cluster, the two public keys. */
  private static Process startStation() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      stationPort = free.getLocalPort();
    }
    Path site = dir.resolve("station");
    Map<String, String> properties = new java.util.LinkedHashMap<>();
    properties.put("server.port", Integer.toString(stationPort));
    properties.put("spring.datasource.url", TestPostgres.url(STATION_DATABASE));
    properties.put("spring.datasource.username", TestPostgres.user());
    properties.put("spring.datasource.password", TestPostgres.password());
    properties.put("camunda.bpm.job-execution.enabled", "true");
    properties.put("orchestrator.worker.poll-interval", "PT0.2S");
    properties.put("orchestrator.role", "station");
    properties.put("orchestrator.station.enclave", "island");
    properties.put("orchestrator.station.connected-public-key", dir.resolve("signing.pub.pem").toString());
    properties.put("orchestrator.station.report-private-key", dir.resolve("station.pem").toString());
    properties.put("orchestrator.station.return-directory", site.resolve("return").toString());
    properties.put("orchestrator.enclaves[0].name", "island");
    ssh(properties, "orchestrator.enclaves[0].import-host");
    properties.put("orchestrator.enclaves[0].oc-mirror", mirror.ocMirror());
    properties.put("orchestrator.enclaves[0].oc", StandIns.oc(site.resolve("bin")).toString());
    properties.put("orchestrator.enclaves[0].cache-directory", site.resolve("cache").toString());
    properties.put("orchestrator.enclaves[0].import-workspace", site.resolve("imports").toString());
    properties.put("orchestrator.enclaves[0].runs-directory", site.resolve("runs").toString());
    properties.put("orchestrator.enclaves[0].media-mount", dir.resolve("carried").toString());
    properties.put("orchestrator.enclaves[0].registry.url", "http://" + island.hostPort());
    properties.put("orchestrator.enclaves[0].registry.namespace", "mirror");
    properties.put("orchestrator.enclaves[0].clusters[0].name", "prod");
    properties.put("orchestrator.enclaves[0].clusters[0].kubeconfig", site.resolve("kube/prod").toString());
    return OtherJvm.start(properties, dir.resolve("station.log"));
  }

  private static void ssh(Map<String, String> properties, String prefix) {
    properties.putAll(sshd.hostProperties(prefix));
  }

  @AfterAll
  static void stopAll() {
    if (station != null) {
      station.destroyForcibly();
    }
    TestSshd.closeAll(island, mirror, sshd);
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
  Transfers transfers;

  @Test
  void monthsCrossTheGapAsMediaOneWayAndSiteReportsTheOther() throws Exception {
    station = startStation();
    LifecycleDriver people = new LifecycleDriver(engine, "op", "op2", "cm");
    HttpApi stationApi = HttpApi.anonymous(stationPort);
    awaitStation("the station to start", () -> stationApi.get("/actuator/health").status() == 200);
    HttpApi.Response baselineHere = stationApi.as("op", "op-secret").post(
        "/engine-rest/process-definition/key/mirror-baseline/start", "{\"variables\":{}}");
    assertThat(baselineHere.status()).isBetween(400, 499);
    assertThat(baselineHere.json().path("message").asText()).contains("this is a receiving station");
    HttpApi.Response badPath = stationApi.as("op", "op-secret").post(
        "/engine-rest/process-definition/key/media-receipt/start",
        "{\"variables\":{\"mediaPath\":{\"value\":\"/mnt/../etc\",\"type\":\"String\"}}}");
    assertThat(badPath.status()).isBetween(400, 499);
    assertThat(badPath.json().path("message").asText()).contains("mediaPath: an absolute path");

    // Month 1: the baseline. op receives the media at the station; as they received them, they cannot approve.
    ProcessInstance baseline = people.start("mirror-baseline", LifecycleDriver.config(mirror.alpha()), "island");
    Month month1 = handOver(people, baseline, "1");
    assertThat(month1.plan()).startsWith("PROVEN COMPLETE");
    String receipt1 = startReceipt(stationApi.as("both", "both-secret"), month1.carried());
    String review = awaitTask(stationApi, receipt1, "reviewImport");
    HttpApi.Response own = stationApi.as("both", "both-secret").post("/engine-rest/task/" + review + "/complete",
        approval(true));
    assertThat(own.status()).as(own.body()).isBetween(400, 499);
    assertThat(awaitTask(stationApi, receipt1, "reviewImport")).as("the review still waits").isEqualTo(review);
    HttpApi.Response approved = stationApi.as("cm", "cm-secret").post("/engine-rest/task/" + review + "/complete",
        approval(true));
    assertThat(approved.status()).as(approved.body()).isEqualTo(204);
    assertThat(endOf(stationApi, receipt1)).isEqualTo("mediaImported");
    assertThat(island.manifestDigest("mirror/demo/alpha", "v1")).isEqualTo(mirror.source().manifestDigest("demo/alpha", "v1"));
    recordReport(people, baseline, latestReport());
    assertThat(transfers.get(month1.transferId()).state()).isEqualTo(TransferState.IMPORTED);

    // Month 2: a differential update, built on generation 1 which the report proved held.
    ProcessInstance update2 = people.start("mirror-update", LifecycleDriver.config(mirror.alpha(), mirror.beta()), "island");
    Month month2 = handOver(people, update2, "2");
    assertThat(month2.plan()).startsWith("PROVEN COMPLETE").contains("proven from site report 1");
    String receipt2 = startReceipt(stationApi.as("op", "op-secret"), month2.carried());
    approve(stationApi, receipt2);
    assertThat(endOf(stationApi, receipt2)).isEqualTo("mediaImported");
    assertThat(island.manifestDigest("mirror/demo/beta", "v1")).isEqualTo(mirror.source().manifestDigest("demo/beta", "v1"));
    recordReport(people, update2, latestReport());

    // The station's cache is lost. Month 3's differential builds on what the last report said it held, so the
    // station refuses it before any import and says why in its report; the delivery ends refused at the station.
    deleteTree(dir.resolve("station/cache"));
    ProcessInstance update3 = people.start("mirror-update",
        LifecycleDriver.config(mirror.alpha(), mirror.beta(), mirror.gamma()), "island");
    Month month3 = handOver(people, update3, "3");
    assertThat(month3.plan()).startsWith("PROVEN COMPLETE").contains("proven from site report 2");
    String receipt3 = startReceipt(stationApi.as("op", "op-secret"), month3.carried());
    assertThat(endOf(stationApi, receipt3)).isEqualTo("mediaRefused");
    assertThat(island.manifestDigest("mirror/demo/gamma", "v1")).as("nothing of month 3 imported").isNull();
    String refusal = latestReport();
    recordReport(people, update3, refusal);
    assertThat(people.historicActivities(update3, "island")).contains("refusedAtStation").doesNotContain("closeTransfer");
    assertThat(transfers.get(month3.transferId()).state()).isEqualTo(TransferState.REFUSED_AT_STATION);

    // Month 4: the report said the cache holds nothing, so every generation goes again; the station imports them.
    String delta = mirror.source().hostPort() + "/demo/delta:v1";
    mirror.source().pushImage("demo/delta", "v1", TestRegistry.randomLayer(16 * 1024));
    ProcessInstance update4 = people.start("mirror-update",
        LifecycleDriver.config(mirror.alpha(), mirror.beta(), mirror.gamma(), delta), "island");
    Month month4 = handOver(people, update4, "1,2,3,4");
    assertThat(month4.plan()).startsWith("PROVEN COMPLETE").contains("site report 3").contains("the cache lost content");
    String receipt4 = startReceipt(stationApi.as("op", "op-secret"), month4.carried());
    approve(stationApi, receipt4);
    assertThat(endOf(stationApi, receipt4)).isEqualTo("mediaImported");
    for (String image : List.of("alpha", "beta", "gamma", "delta")) {
      assertThat(island.manifestDigest("mirror/demo/" + image, "v1")).as(image)
          .isEqualTo(mirror.source().manifestDigest("demo/" + image, "v1"));
    }
    recordReport(people, update4, latestReport());
    assertThat(transfers.get(month4.transferId()).state()).isEqualTo(TransferState.IMPORTED);

    // The station rolls its clusters back on its own, approved by its own change manager, and its next report says so.
    HttpApi.Response rollback = stationApi.as("op", "op-secret").post(
        "/engine-rest/process-definition/key/mirror-rollback/start",
        "{\"variables\":{\"enclave\":{\"value\":\"island\",\"type\":\"String\"}}}");
    assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
    String rollbackId = rollback.json().path("id").asText();
    String approveRollback = awaitTask(stationApi, rollbackId, "approveRollback");
    assertThat(stationApi.as("cm", "cm-secret").post("/engine-rest/task/" + approveRollback + "/complete",
        approval(true)).status()).isEqualTo(204);
    assertThat(endOf(stationApi, rollbackId)).isEqualTo("rolledBack");

    // A report on demand says the same of the site, newer; only operators ask for one.
    assertThat(stationApi.as("cm", "cm-secret").post("/api/station/site-reports", "").status()).isEqualTo(403);
    HttpApi.Response onDemand = stationApi.as("op", "op-secret").post("/api/station/site-reports", "");
    assertThat(onDemand.status()).as(onDemand.body()).isEqualTo(201);
    SiteReport now = SiteReportText.read(onDemand.body()).report();
    assertThat(now.reportNumber()).isEqualTo(5);
    assertThat(now.generationNumbers()).containsExactly(1, 2, 3, 4);
    assertThat(now.cacheComplete()).isTrue();
    assertThat(now.transfer().transferId()).isEqualTo(month4.transferId());
    assertThat(now.clusters()).singleElement().satisfies(cluster -> {
      // Generation 3 was refused and never live: the rollback goes back to what was live before 4.
      assertThat(cluster.generation()).isEqualTo(2);
      assertThat(cluster.rollback()).isTrue();
    });

    // The station's own audit record: who received, who approved, what came of it.
    HttpApi compliance = stationApi.as("comp", "comp-secret");
    JsonNode first = compliance.get("/api/audit/lifecycles/" + receipt1).json();
    assertThat(first.at("/lifecycle/outcome").asText()).isEqualTo("DELIVERED");
    assertThat(first.at("/lifecycle/requestedBy").asText()).isEqualTo("both");
    assertThat(first.at("/deliveries/0/transferId").asText()).isEqualTo(month1.transferId());
    assertThat(first.at("/deliveries/0/approver").asText()).isEqualTo("cm");
    assertThat(first.at("/deliveries/0/custody/receivedBy").asText()).isEqualTo("both");
    JsonNode refused = compliance.get("/api/audit/lifecycles/" + receipt3).json();
    assertThat(refused.at("/lifecycle/outcome").asText()).isEqualTo("FAILED");
    assertThat(refused.at("/lifecycle/note").asText()).contains("the cache lacks");
  }

  /** What the connected side handed over: the transfer and the media as the courier carries them. */
  private record Month(String transferId, Path carried, String plan) {
  }

  private Month handOver(LifecycleDriver people, ProcessInstance lifecycle, String expectedGenerations) throws IOException {
    Task review = people.waitForTask("reviewTransfer", "island");
    assertThat((String) runtime.getVariable(review.getExecutionId(), "carryGenerations")).isEqualTo(expectedGenerations);
    String transferId = (String) runtime.getVariable(review.getExecutionId(), "transferId");
    String plan = (String) runtime.getVariable(review.getExecutionId(), "transferSummary");
    people.complete("cm", review, Map.of("approved", true, "reviewComment", "ok"));
    people.complete("op", people.waitForTask("signOffHandover", "island"),
        Map.of("mediaId", "USB-" + transferId.substring(0, 8), "sealNumber", "S-1", "courier", "Dana"));
    people.waitForTask("recordSiteReport", "island");
    Path carried = dir.resolve("carried").resolve(transferId);
    copyTree(dir.resolve("media").resolve(transferId), carried);
    return new Month(transferId, carried, plan);
  }

  private void recordReport(LifecycleDriver people, ProcessInstance lifecycle, String report) {
    people.complete("op", people.waitForTask("recordSiteReport", "island"), Map.of("siteReport", report));
    people.waitUntilEnded(lifecycle);
  }

  private static String startReceipt(HttpApi operator, Path media) {
    HttpApi.Response started = operator.post("/engine-rest/process-definition/key/media-receipt/start",
        "{\"variables\":{\"mediaPath\":{\"value\":\"" + media + "\",\"type\":\"String\"}}}");
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    return started.json().path("id").asText();
  }

  private static void approve(HttpApi station, String receipt) {
    String review = awaitTask(station, receipt, "reviewImport");
    HttpApi.Response approved = station.as("cm", "cm-secret").post("/engine-rest/task/" + review + "/complete", approval(true));
    assertThat(approved.status()).as(approved.body()).isEqualTo(204);
  }

  private static String approval(boolean approved) {
    return "{\"variables\":{\"approved\":{\"value\":" + approved + ",\"type\":\"Boolean\"},"
        + "\"reviewComment\":{\"value\":\"checked\",\"type\":\"String\"}}}";
  }

  private static String awaitTask(HttpApi station, String receipt, String key) {
    String[] id = new String[1];
    awaitStation(key + " of " + receipt, () -> {
      failIfStuck(station, receipt);
      JsonNode found = station.as("root-admin", "test-admin-secret").get("/engine-rest/task?processInstanceId=" + receipt
          + "&taskDefinitionKey=" + key).json();
      id[0] = found.size() == 1 ? found.get(0).path("id").asText() : null;
      return id[0] != null;
    });
    return id[0];
  }

  /** The end event a media receipt reached, once it ended. */
  private static String endOf(HttpApi station, String receipt) {
    String[] end = new String[1];
    HttpApi admin = station.as("root-admin", "test-admin-secret");
    awaitStation("the end of " + receipt, () -> {
      failIfStuck(station, receipt);
      JsonNode ends = admin.get("/engine-rest/history/activity-instance?processInstanceId=" + receipt
          + "&activityType=noneEndEvent&finished=true").json();
      end[0] = ends.size() == 1 ? ends.get(0).path("activityId").asText() : null;
      return end[0] != null;
    });
    return end[0];
  }

  /** Fails at once, with the station's message, on a job that failed or an incident, instead of waiting out retries. */
  private static void failIfStuck(HttpApi station, String receipt) {
    HttpApi admin = station.as("root-admin", "test-admin-secret");
    JsonNode failed = admin.get("/engine-rest/job?processInstanceId=" + receipt + "&withException=true").json();
    assertThat(failed.size()).as("failed jobs of the station: " + failed).isZero();
    JsonNode incidents = admin.get("/engine-rest/incident?processInstanceId=" + receipt).json();
    assertThat(incidents.size()).as("incidents of the station: " + incidents).isZero();
  }

  private static String latestReport() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("station/return"))) {
      Path newest = files.filter(file -> file.getFileName().toString().endsWith(".txt"))
          .max(Comparator.comparingInt(AirGapEndToEndTest::reportNumber)).orElseThrow();
      return Files.readString(newest);
    }
  }

  private static int reportNumber(Path file) {
    String name = file.getFileName().toString();
    return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1, name.length() - ".txt".length()));
  }

  private static void awaitStation(String what, java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await(what).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
        .ignoreExceptionsMatching(e -> e instanceof java.io.UncheckedIOException || e.getCause() instanceof java.net.ConnectException)
        .until(() -> {
          assertThat(station.isAlive()).as("the station runs; its log: " + dir.resolve("station.log")).isTrue();
          return condition.call();
        });
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
