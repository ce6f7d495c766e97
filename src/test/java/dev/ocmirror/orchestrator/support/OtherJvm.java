package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The service started in a JVM of its own, as a second node or the other side of an air gap: the test's class path,
 * the test profile, and the given properties as command-line arguments; its output goes to a log file.
 */
public final class OtherJvm {

  private OtherJvm() {
  }

  public static Process start(Map<String, String> properties, Path log) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", classPath(), "dev.ocmirror.orchestrator.OrchestratorApplication", "--spring.profiles.active=test"));
    properties.forEach((key, value) -> command.add("--" + key + "=" + value));
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the service in another JVM: " + e.getMessage(), e);
    }
  }

  /** This JVM's class path without the project directory itself, whose bpmn/ would be deployed twice. */
  private static String classPath() {
    Path project = Path.of("").toAbsolutePath();
    return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(entry -> !entry.isBlank() && !Path.of(entry).toAbsolutePath().normalize().equals(project))
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }
}
