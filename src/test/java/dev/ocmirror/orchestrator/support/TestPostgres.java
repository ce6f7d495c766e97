package dev.ocmirror.orchestrator.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL that tests run against: 127.0.0.1:5432 as user postgres unless TEST_POSTGRES_HOST,
 * TEST_POSTGRES_PORT, TEST_POSTGRES_USER, TEST_POSTGRES_PASSWORD say otherwise. Where it is missing the
 * tests are skipped on a developer's machine but fail when PostgreSQL is required (CI=true or
 * -Dpostgres.tests.required=true).
 */
public final class TestPostgres {

  private TestPostgres() {
  }

  public static String url(String database) {
    return "jdbc:postgresql://" + env("TEST_POSTGRES_HOST", "127.0.0.1") + ":" + env("TEST_POSTGRES_PORT", "5432") + "/" + database;
  }

  public static String user() {
    return env("TEST_POSTGRES_USER", "postgres");
  }

  public static String password() {
    return env("TEST_POSTGRES_PASSWORD", "");
  }

  public static boolean required() {
    return Boolean.getBoolean("postgres.tests.required") || "true".equalsIgnoreCase(System.getenv("CI"));
  }

  public static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), user(), password());
  }

  /** Drops (forcing out any leftover session) and creates the named database, so every run starts empty. */
  public static void recreateDatabase(String database) {
    try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
      statement.execute("drop database if exists " + database + " with (force)");
      statement.execute("create database " + database);
    } catch (SQLException e) {
      String message = "PostgreSQL at " + url("postgres") + " is not usable: " + e.getMessage();
      if (required()) {
        throw new IllegalStateException(message, e);
      }
      Assumptions.abort(message + " (skipped; set CI=true or -Dpostgres.tests.required=true to make this fail)");
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
