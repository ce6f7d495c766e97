package dev.ocmirror.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Topics;
import dev.ocmirror.orchestrator.process.LifecycleDriver;
import dev.ocmirror.orchestrator.support.ServiceTest;
import dev.ocmirror.orchestrator.support.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL restarted (a fast shutdown: every session cut) twice during a baseline on one node: while mirrorToDisk
 * runs, and while the lifecycle waits for the change manager. The service rides both out: the run is reattached and
 * judged once, nothing fails, the lifecycle is delivered as if nothing happened.
 */
@ServiceTest
class DatabaseRestartTest {

  private static SharedSite site;

  @DynamicPropertySource
  static void sharedConfiguration(DynamicPropertyRegistry registry) throws Exception {
    site = SharedSite.start("orchestrator_restart_it", Files.createTempDirectory("db-restart"));
    site.properties().forEach((key, value) -> registry.add(key, () -> value));
    registry.add("orchestrator.worker.worker-id", () -> "node-a");
  }

  @AfterAll
  static void stopAll() {
    site.close();
  }

  @Autowired
  ProcessEngine engine;
  @Autowired
  ExternalTaskService externalTasks;

  @Test
  void aLifecycleRidesOutTwoRestartsOfItsDatabase() throws Exception {
    LifecycleDriver people = new LifecycleDriver(engine, "op", "op2", "cm");
    Path slow = Files.writeString(site.slowFile(Optional.empty()), "1500");
    ProcessInstance baseline = people.start("mirror-baseline", LifecycleDriver.config(site.mirror().alpha(),
        site.mirror().beta(), site.mirror().gamma()), "west");
    String[] taskId = new String[1];
    people.waitFor("mirrorToDisk running", () -> {
      var task = externalTasks.createExternalTaskQuery().topicName(Topics.MIRROR_TO_DISK).locked().singleResult();
      taskId[0] = task == null ? null : task.getId();
      return task != null && Files.exists(site.dir().resolve("mirror/runs/task-" + task.getId() + "-1/pid"));
    });
    Duration duringTheRun = TestPostgres.restart();
    Files.delete(slow);

    people.waitForTask("reviewTransfer", "west");
    Duration whileWaiting = TestPostgres.restart();

    assertThat(people.deliver(baseline, List.of("west"))).containsEntry("west", "1");
    LifecycleDriver.assertRunsNeverOverlap(site.dir().resolve("mirror/runs"), taskId[0]);
    assertThat(site.dir().resolve("mirror/runs/task-" + taskId[0] + "-2")).as("a second attempt").doesNotExist();
    assertThat(site.target().manifestDigest("mirror/demo/gamma", "v1"))
        .isEqualTo(site.mirror().source().manifestDigest("demo/gamma", "v1"));
    System.out.printf("PostgreSQL did not answer for %d ms during the run and %d ms while the lifecycle waited%n",
        duringTheRun.toMillis(), whileWaiting.toMillis());
  }
}
