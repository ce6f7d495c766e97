package dev.ocmirror.orchestrator.support;

import org.camunda.bpm.engine.RepositoryService;

/** Test-only process models, deployed by the tests that need them. */
public final class Fixtures {

  public static final String ACCESS_PROBE = "access-probe";

  private Fixtures() {
  }

  public static void deployAccessProbe(RepositoryService repository) {
    repository.createDeployment()
        .name("test-fixtures")
        .addClasspathResource("fixtures/access-probe.bpmn")
        .enableDuplicateFiltering(true)
        .deploy();
  }
}
