package dev.ocmirror.orchestrator.process;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * Tells a failure of the database itself (restarted, unreachable, the pool out of connections) from a failure of the
 * work: the former says nothing about the run, so it must not count as a failed attempt.
 */
final class DatabaseUnreachable {

  private DatabaseUnreachable() {
  }

  static boolean causes(Throwable failure) {
    return ExceptionUtils.getThrowableList(failure).stream().anyMatch(DatabaseUnreachable::isConnectionFailure);
  }

  private static boolean isConnectionFailure(Throwable cause) {
    if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
        || cause instanceof SQLRecoverableException) {
      return true;
    }
    // SQL states of class 08 are connection failures; 57P01 to 57P03 a server shutting down or starting up.
    return cause instanceof SQLException sql && sql.getSQLState() != null
        && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"));
  }
}
