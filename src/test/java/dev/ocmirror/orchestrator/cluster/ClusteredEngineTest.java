package dev.ocmirror.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.process.LifecycleDriver;
import dev.ocmirror.orchestrator.process.OcMirrorWorker;
import dev.ocmirror.orchestrator.support.ServiceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  private static SharedSite site;
  private static Process nodeB;

  @DynamicPropertySource
  static void sharedConfiguration(DynamicPropertyRegistry registry) throws Exception {
    site = SharedSite.start("orchestrator_cluster_it", Files.createTempDirectory("cluster"));
    site.properties().forEach((key, value) -> registry.add(key, () -> value));
    registry.add("camunda.bpm.generic-properties.properties.hostname", () -> "node-a");
    registry.add("orchestrator.worker.worker-id", () -> "node-a");
  }

  @AfterAll
  static void stopAll() {
    if (nodeB != null) {
      nodeB.destroyForcibly();
    }
    site.close();
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
    nodeB = site.startNode("node-b", Map.of());
    LifecycleDriver people = new LifecycleDriver(engine, "op", "op2", "cm");
    people.waitFor("node-b to start", () -> nodeB.isAlive() && site.logOf("node-b").contains("Started OrchestratorApplication"));

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
    Path slow = Files.writeString(site.slowFile(Optional.empty()), "3000");
    ProcessInstance baseline = people.start("mirror-baseline", LifecycleDriver.config(site.mirror().alpha(), site.mirror().beta()),
        "west");
    String[] taskId = new String[1];
    people.waitFor("node-b running mirrorToDisk", () -> {
      var task = externalTasks.createExternalTaskQuery().topicName("oc-mirror-to-disk").workerId("node-b").locked()
          .singleResult();
      taskId[0] = task == null ? null : task.getId();
      return task != null && Files.exists(site.dir().resolve("mirror/runs/task-" + task.getId() + "-1/pid"));
    });
    nodeB.destroyForcibly().waitFor();
    worker.start();
    Files.delete(slow);
    assertThat(people.deliver(baseline, List.of("west"))).containsEntry("west", "1");
    LifecycleDriver.assertRunsNeverOverlap(site.dir().resolve("mirror/runs"), taskId[0]);
    assertThat(site.target().manifestDigest("mirror/demo/alpha", "v1"))
        .isEqualTo(site.mirror().source().manifestDigest("demo/alpha", "v1"));
  }
}
