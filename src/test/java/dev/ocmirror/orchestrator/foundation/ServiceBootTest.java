package dev.ocmirror.orchestrator.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.access.AccessGroups;
import dev.ocmirror.orchestrator.support.HttpApi;
import dev.ocmirror.orchestrator.support.ServiceTest;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ServiceTest
class ServiceBootTest {

  @LocalServerPort
  int port;
  @Autowired
  ProcessEngine engine;
  @Autowired
  RepositoryService repository;
  @Autowired
  IdentityService identity;

  @Test
  void deploysEveryModelAndFormOfTheProject() {
    assertThat(ProjectModels.deployedResourceNames(repository)).containsAll(ProjectModels.filesInProject());
  }

  @Test
  void keepsTheHistoryOfEveryModelForTheConfiguredFiveYears() {
    assertThat(ProjectModels.processDefinitions(repository)).isNotEmpty()
        .allSatisfy(definition -> assertThat(definition.getHistoryTimeToLive()).as(definition.getKey()).isEqualTo(1825));
  }

  @Test
  void aJobThatLostAConcurrentUpdateIsTriedAgainAtOnceNotAMinuteLater() {
    var configuration = (org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    assertThat(configuration.getFailedJobCommandFactory().getCommand("job", new org.camunda.bpm.engine.OptimisticLockingException(
        "lost"))).as("the factory the engine uses, not only the one configured early").isNotInstanceOf(
            org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd.class);
  }

  @Test
  void everyJobThreadCanHoldTwoConnectionsAtOnceWithRoomToSpare(
      @org.springframework.beans.factory.annotation.Autowired javax.sql.DataSource dataSource,
      @org.springframework.beans.factory.annotation.Value("${camunda.bpm.job-execution.max-pool-size}") int jobThreads) {
    // A job that commits apart from its own transaction needs a second connection; with fewer than two a thread, all
    // job threads could hold one and wait for the other (seen at fifty enclaves: 10 of 10 taken, 38 waiting).
    assertThat(((com.zaxxer.hikari.HikariDataSource) dataSource).getMaximumPoolSize()).isGreaterThanOrEqualTo(2 * jobThreads + 10);
  }

  @Test
  void createsTheFourGroupsOfTheProductWithAuthorizationOn() {
    for (String group : AccessGroups.ALL) {
      assertThat(identity.createGroupQuery().groupId(group).count()).as(group).isEqualTo(1);
    }
    assertThat(engine.getProcessEngineConfiguration().isAuthorizationEnabled()).isTrue();
    assertThat(identity.createUserQuery().memberOfGroup(AccessGroups.CAMUNDA_ADMIN).userId("root-admin").count()).isEqualTo(1);
  }

  @Test
  void servesTasklistToTheBrowser() {
    HttpApi.Response tasklist = HttpApi.anonymous(port).get("/camunda/app/tasklist/default/");
    assertThat(tasklist.status()).isEqualTo(200);
    assertThat(tasklist.body()).contains("Tasklist");
  }

  @Test
  void theAdminWebappOffersNoInitialUserFormToStrangers() {
    HttpApi.Response setup = HttpApi.anonymous(port).post("/camunda/api/admin/setup/default/user/create",
        "{\"profile\":{\"id\":\"intruder\",\"firstName\":\"I\",\"lastName\":\"X\"},\"credentials\":{\"password\":\"x12345678\"}}");
    assertThat(setup.status()).isIn(401, 403);
    assertThat(identity.createUserQuery().userId("intruder").count()).isZero();
  }
}
