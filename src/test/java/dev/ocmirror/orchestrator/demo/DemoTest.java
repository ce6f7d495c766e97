package dev.ocmirror.orchestrator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.process.LifecycleDriver;
import dev.ocmirror.orchestrator.simulator.RegistryClient;
import dev.ocmirror.orchestrator.support.DemoOnItsOwn;
import dev.ocmirror.orchestrator.support.HttpApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's first command, as a new user would try it: the demo profile alone (no sshd, no registry
 * installed, no PostgreSQL) takes a baseline and an update through approval, handover, receipt and import, and
 * the audit shows them. oc-mirror is the simulator, and every lifecycle says so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DemoTest {

  private static Path directory;

  @DynamicPropertySource
  static void demoOnItsOwnDirectory(DynamicPropertyRegistry registry) {
    directory = DemoOnItsOwn.register(registry);
  }

  @Autowired
  ProcessEngine engine;
  @Autowired
  HistoryService history;
  @Autowired
  DemoEnvironment demo;
  @LocalServerPort
  int port;

  @Test
  void aBaselineAndAnUpdateGoAllTheWayOnOneMachine() throws Exception {
    LifecycleDriver people = new LifecycleDriver(engine, "olivia", "oscar", "carla");
    ProcessInstance baseline = people.start("mirror-baseline",
        Files.readString(directory.resolve("imageset-config-month1.yaml")), "demo-site");
    assertThat(people.deliver(baseline, List.of("demo-site"))).containsEntry("demo-site", "1");
    ProcessInstance update = people.start("mirror-update",
        Files.readString(directory.resolve("imageset-config-month2.yaml")), "demo-site");
    assertThat(people.deliver(update, List.of("demo-site"))).containsEntry("demo-site", "2");

    RegistryClient source = new RegistryClient(demo.sourceRegistry());
    RegistryClient target = new RegistryClient(demo.targetRegistry());
    for (String image : List.of("hello", "web", "db")) {
      assertThat(target.manifest("mirror/demo/" + image, "v1")).as(image).isPresent().get()
          .extracting(RegistryClient.Manifest::digest)
          .isEqualTo(source.manifest("demo/" + image, "v1").orElseThrow().digest());
    }
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(update.getId())
        .variableName("ocMirrorSimulated").singleResult().getValue()).isEqualTo(true);
    assertThat(Files.readString(directory.resolve("oc-apply.log"))).contains("apply --kubeconfig");

    HttpApi.Response report = HttpApi.anonymous(port).as("cora", "demo")
        .get("/api/audit/lifecycles/" + update.getId() + "/report.html");
    assertThat(report.status()).isEqualTo(200);
    assertThat(report.body()).contains("demo-site", "carla");
  }
}
