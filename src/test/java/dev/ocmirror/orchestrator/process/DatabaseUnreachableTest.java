package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.junit.jupiter.api.Test;

class DatabaseUnreachableTest {

  @Test
  void aCutConnectionOrAServerShuttingDownIsTheDatabaseNotTheRun() {
    assertThat(DatabaseUnreachable.causes(new ProcessEnginePersistenceException("persistence",
        new RuntimeException(new SQLException("An I/O error occurred while sending to the backend.", "08006"))))).isTrue();
    assertThat(DatabaseUnreachable.causes(new RuntimeException(new SQLException("terminating connection due to"
        + " administrator command", "57P01")))).isTrue();
    assertThat(DatabaseUnreachable.causes(new IllegalStateException(new SQLTransientConnectionException(
        "HikariPool-1 - Connection is not available, request timed out after 30000ms.")))).isTrue();
  }

  @Test
  void aRefusedStatementOrAFailedRunIsNot() {
    assertThat(DatabaseUnreachable.causes(new RuntimeException(new SQLException("duplicate key value", "23505")))).isFalse();
    assertThat(DatabaseUnreachable.causes(new IllegalStateException("oc-mirror exited with status 1"))).isFalse();
    assertThat(DatabaseUnreachable.causes(new RuntimeException(new SQLException("no state")))).isFalse();
  }

  @Test
  void causesThatComeBackToTheFirstAreLookedThroughOnce() {
    RuntimeException outer = new RuntimeException("outer");
    IllegalStateException inner = new IllegalStateException("inner", outer);
    outer.initCause(inner);
    assertThat(DatabaseUnreachable.causes(outer)).isFalse();
  }
}
