package dev.ocmirror.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.process.LifecycleDriver;
import dev.ocmirror.orchestrator.process.OcMirrorWorker;
import dev.ocmirror.orchestrator.simulator.MirrorFixture;
import dev.ocmirror.orchestrator.support.ServiceTest;
import dev.ocmirror.orchestrator.support.OtherJvm;
import dev.ocmirror.orchestrator.support.StandIns;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import dev.ocmirror.orchestrator.support.TestPostgres;
import dev.ocmirror.orchestrator.support.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two instances of the service on one PostgreSQL: this test's own (node-a) and a second JVM started from the
 * same class path (node-b). Jobs are shared and each runs exactly once; when node-b dies in the middle of an
 * oc-mirror run, node-a takes the task over and the lifecycle ends as if nothing happened.
 */
@ServiceTest
class ClusteredEngineTest {

  private static final String DATABASE = "orchestrator_cluster_it";
  private static Path dir;
  private static MirrorFixture mirror;
  private static TestRegistry target;
  private static final Map<String, String> SHARED = new LinkedHashMap<>();
  private static Process nodeB;

  @DynamicPropertySource
  static void sharedConfiguration(DynamicPropertyRegistry registry) throws Exception {
    TestPostgres.recreateDatabase(DATABASE);
    dir = Files.createTempDirectory("cluster");
    mirror = MirrorFixture.start(dir.resolve("source"));
    target = TestRegistry.start(dir.resolve("target"));
    Path slowable = StandIns.slowableOcMirror(dir.resolve("bin"), mirror.ocMirror());
    Path oc = StandIns.oc(dir.resolve("bin"));
    ManifestSignature.writeNewKeyPair(dir.resolve("signing.pem"), dir.resolve("signing.pub.pem"));
    SHARED.put("spring.datasource.url", TestPostgres.url(DATABASE));
    SHARED.put("spring.datasource.username", TestPostgres.user());
    SHARED.put("spring.datasource.password", TestPostgres.password());
    SHARED.put("camunda.bpm.job-execution.enabled", "true");
    // An idle job executor backs off up to a minute; short waits let both nodes see the probe's jobs.
    SHARED.put("camunda.bpm.job-execution.wait-time-in-millis", "200");
    SHARED.put("camunda.bpm.job-execution.max-wait", "1000");
    // Three job threads a node (Spring would grow to ten): one node alone cannot take every job before the other looks.
    SHARED.put("camunda.bpm.job-execution.core-pool-size", "3");
    SHARED.put("camunda.bpm.job-execution.max-pool-size", "3");
    SHARED.put("orchestrator.worker.lock-duration", "PT3S");
    SHARED.put("orchestrator.worker.poll-interval", "PT0.2S");
    SHARED.put("orchestrator.mirror.host.local", "true");
    SHARED.put("orchestrator.mirror.oc-mirror", slowable.toString());
    SHARED.put("orchestrator.mirror.workspace-root", dir.resolve("mirror/workspaces").toString());
    SHARED.put("orchestrator.mirror.cache-directory", dir.resolve("mirror/cache").toString());
    SHARED.put("orchestrator.mirror.runs-directory", dir.resolve("mirror/runs").toString());
    SHARED.put("orchestrator.mirror.archive-store", dir.resolve("mirror/store").toString());
    SHARED.put("orchestrator.mirror.keep-for-rollback", "2");
    SHARED.put("orchestrator.media.staging-directory", dir.resolve("media").toString());
    SHARED.put("orchestrator.signing.private-key", dir.resolve("signing.pem").toString());
    SHARED.put("orchestrator.signing.public-key", dir.resolve("signing.pub.pem").toString());
    SHARED.put("orchestrator.enclaves[0].name", "west");
    SHARED.put("orchestrator.enclaves[0].import-host.local", "true");
    SHARED.put("orchestrator.enclaves[0].oc-mirror", mirror.ocMirror());
    SHARED.put("orchestrator.enclaves[0].oc", oc.toString());
    SHARED.put("orchestrator.enclaves[0].cache-directory", dir.resolve("west/cache").toString());
    SHARED.put("orchestrator.enclaves[0].import-workspace", dir.resolve("west/imports").toString());
    SHARED.put("orchestrator.enclaves[0].runs-directory", dir.resolve("west/runs").toString());
    SHARED.put("orchestrator.enclaves[0].media-mount", dir.resolve("media").toString());
    SHARED.put("orchestrator.enclaves[0].registry.url", "http://" + target.hostPort());
    SHARED.put("orchestrator.enclaves[0].registry.namespace", "mirror");
    SHARED.put("orchestrator.enclaves[0].clusters[0].name", "prod");
    SHARED.put("orchestrator.enclaves[0].clusters[0].kubeconfig", dir.resolve("kube/prod").toString());
    SHARED.forEach((key, value) -> registry.add(key, () -> value));
    registry.add("camunda.bpm.generic-properties.properties.hostname", () -> "node-a");
    registry.add("orchestrator.worker.worker-id", () -> "node-a");
  }

  /** The second node: the same service in its own JVM, on the same database and hosts. */
  private static Process startNodeB() {
    Map<String, String> properties = new java.util.LinkedHashMap<>(SHARED);
    properties.put("server.port", "0");
    properties.put("camunda.bpm.generic-properties.properties.hostname", "node-b");
    properties.put("orchestrator.worker.worker-id", "node-b");
    return OtherJvm.start(properties, dir.resolve("node-b.log"));
  }

  @AfterAll
  static void stopAll() {
    if (nodeB != null) {
      nodeB.destroyForcibly();
    }
    target.close();
    mirror.close();
  }

  @Autowired
  ProcessEngine engine;
  @Autowired
  RuntimeService runtime;
  @Autowired
  RepositoryService repository;
  @Autowired
  HistoryService history;
  @Autowired
  ExternalTaskService externalTasks;
  @Autowired
  OcMirrorWorker worker;

  @Test
  void twoNodesShareTheJobsRunEachOnceAndOneTakesOverWhenTheOtherDies() throws Exception {
    nodeB = startNodeB();
    LifecycleDriver people = new LifecycleDriver(engine, "op", "op2", "cm");
    people.waitFor("node-b to start", () -> nodeB.isAlive() && log().contains("Started OrchestratorApplication"));

    // Forty jobs between two nodes (one per instance: Camunda keeps the exclusive jobs of one instance on one node).
    BpmnModelInstance probe = Bpmn.createExecutableProcess("cluster-probe").camundaHistoryTimeToLive(1)
        .startEvent().serviceTask("visit").camundaExpression("${clusterProbe.visit()}").camundaAsyncBefore()
        .endEvent().done();
    repository.createDeployment().addModelInstance("cluster-probe.bpmn", probe).deploy();
    List<String> instances = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      instances.add(runtime.startProcessInstanceByKey("cluster-probe").getId());
    }
    people.waitFor("the probes to end", () -> history.createHistoricProcessInstanceQuery().processDefinitionKey("cluster-probe")
        .finished().count() == 40);
    List<HistoricJobLog> successes = history.createHistoricJobLogQuery().processDefinitionKey("cluster-probe").successLog().list();
    Map<String, Long> runsPerJob = successes.stream().collect(Collectors.groupingBy(HistoricJobLog::getJobId, Collectors.counting()));
    assertThat(runsPerJob).hasSize(40).allSatisfy((job, runs) -> assertThat(runs).isEqualTo(1));
    assertThat(successes.stream().map(HistoricJobLog::getProcessInstanceId).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(instances);
    assertThat(successes.stream().map(HistoricJobLog::getHostname).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("node-a", "node-b");

    // A baseline whose mirrorToDisk node-b runs; node-b dies mid-run; node-a finishes the lifecycle.
    worker.stop();
    Path slow = Files.writeString(dir.resolve("bin/slow"), "3000");
    ProcessInstance baseline = people.start("mirror-baseline", LifecycleDriver.config(mirror.alpha(), mirror.beta()), "west");
    String[] taskId = new String[1];
    people.waitFor("node-b running mirrorToDisk", () -> {
      var task = externalTasks.createExternalTaskQuery().topicName("oc-mirror-to-disk").workerId("node-b").locked()
          .singleResult();
      taskId[0] = task == null ? null : task.getId();
      return task != null && Files.exists(dir.resolve("mirror/runs/task-" + task.getId() + "-1/pid"));
    });
    nodeB.destroyForcibly().waitFor();
    worker.start();
    Files.delete(slow);
    assertThat(people.deliver(baseline, List.of("west"))).containsEntry("west", "1");
    LifecycleDriver.assertRunsNeverOverlap(dir.resolve("mirror/runs"), taskId[0]);
    assertThat(target.manifestDigest("mirror/demo/alpha", "v1")).isEqualTo(mirror.source().manifestDigest("demo/alpha", "v1"));
  }

  private static String log() {
    try {
      return Files.exists(dir.resolve("node-b.log")) ? Files.readString(dir.resolve("node-b.log")) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
