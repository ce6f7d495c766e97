package dev.ocmirror.orchestrator.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocmirror.orchestrator.support.Fixtures;
import dev.ocmirror.orchestrator.support.HttpApi;
import dev.ocmirror.orchestrator.support.ServiceTest;
import dev.ocmirror.orchestrator.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same service on a real PostgreSQL database, created empty for this test. */
@ServiceTest
@org.springframework.test.context.ActiveProfiles({"test", "postgres"})
class PostgresBootTest {

  private static final String DATABASE = "orchestrator_boot_it";

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    TestPostgres.recreateDatabase(DATABASE);
    registry.add("spring.datasource.url", () -> TestPostgres.url(DATABASE));
    registry.add("spring.datasource.username", TestPostgres::user);
    registry.add("spring.datasource.password", TestPostgres::password);
    // What ORCHESTRATOR_HISTORY_TTL sets: every model must take it, none may keep a time of its own.
    registry.add("camunda.bpm.generic-properties.properties.history-time-to-live", () -> "P2555D");
  }

  @LocalServerPort
  int port;
  @Autowired
  RepositoryService repository;
  @Autowired
  javax.sql.DataSource dataSource;

  @Test
  void theLedgersBatchesGoAsMultiRowInsertsWhateverTheUrlSays() {
    assertThat(dataSource).isInstanceOf(com.zaxxer.hikari.HikariDataSource.class);
    assertThat(((com.zaxxer.hikari.HikariDataSource) dataSource).getDataSourceProperties())
        .containsEntry("reWriteBatchedInserts", "true");
  }

  @Test
  void createsTheSchemaDeploysAndPersistsAStartedProcess() throws SQLException {
    assertThat(ProjectModels.deployedResourceNames(repository)).containsAll(ProjectModels.filesInProject());
    assertThat(ProjectModels.processDefinitions(repository)).isNotEmpty()
        .allSatisfy(definition -> assertThat(definition.getHistoryTimeToLive()).as(definition.getKey()).isEqualTo(2555));
    Fixtures.deployAccessProbe(repository);

    HttpApi.Response started = HttpApi.anonymous(port).as("op", "op-secret")
        .post("/engine-rest/process-definition/key/" + Fixtures.ACCESS_PROBE + "/start", "{\"businessKey\":\"pg-check\"}");
    assertThat(started.status()).isEqualTo(200);
    String instanceId = started.json().path("id").asText();

    try (Connection connection = TestPostgres.connect(DATABASE); Statement statement = connection.createStatement()) {
      assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
      try (ResultSet rows = statement.executeQuery(
          "select business_key_, start_user_id_ from act_hi_procinst where id_ = '" + instanceId + "'")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("pg-check");
        assertThat(rows.getString(2)).isEqualTo("op");
      }
      try (ResultSet rows = statement.executeQuery("select count(*) from act_ru_task where proc_inst_id_ = '" + instanceId + "'")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(1);
      }
      try (ResultSet rows = statement.executeQuery("select count(*) from act_id_group where id_ in "
          + "('operators','change-managers','compliance','admins')")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(4);
      }
    }
  }
}
