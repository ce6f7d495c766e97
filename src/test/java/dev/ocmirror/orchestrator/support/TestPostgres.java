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

  /**
   * Restarts the local PostgreSQL server (fast shutdown: every session is cut) and waits until it answers again;
   * returns how long it did not. Needs the server on this machine and root (or sudo without a password).
   */
  public static java.time.Duration restart() throws Exception {
    java.nio.file.Path clusters = java.nio.file.Path.of("/etc/postgresql");
    if (System.getenv("TEST_POSTGRES_HOST") != null || !java.nio.file.Files.isDirectory(clusters)) {
      String message = "PostgreSQL is not on this machine, so a test cannot restart it";
      if (required()) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    String version;
    try (java.util.stream.Stream<java.nio.file.Path> versions = java.nio.file.Files.list(clusters)) {
      version = versions.map(path -> path.getFileName().toString()).max(java.util.Comparator.comparingInt(Integer::parseInt))
          .orElseThrow();
    }
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("pg_ctlcluster", "--skip-systemctl-redirect",
        version, "main", "restart", "-m", "fast"));
    if (!"root".equals(System.getProperty("user.name"))) {
      command.addAll(0, java.util.List.of("sudo", "-n"));
    }
    java.time.Instant down = java.time.Instant.now();
    Process restart = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(restart.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (restart.waitFor() != 0) {
      throw new IllegalStateException("Cannot restart PostgreSQL with " + command + ": " + output);
    }
    for (int i = 0; i < 300; i++) {
      try (Connection probe = connect("postgres")) {
        return java.time.Duration.between(down, java.time.Instant.now());
      } catch (SQLException starting) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("PostgreSQL did not answer within 30 s of its restart");
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
