package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
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
    List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=test"));
    properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    return startMain("dev.ocmirror.orchestrator.OrchestratorApplication", arguments, log);
  }

  /** A class's {@code main} in a JVM of its own with the test's class path: a process a test can SIGKILL part-way. */
  public static Process startMain(String mainClass, List<String> arguments, Path log) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", classPath(), mainClass));
    command.addAll(arguments);
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + mainClass + " in another JVM: " + e.getMessage(), e);
    }
  }

  /**
   * SIGKILL of {@code process} the moment {@code partWay} holds, looked at every millisecond: as when the machine dies
   * in the middle of what it does. Fails if the process ends first (the work was too short to catch part-way).
   */
  public static void killWhen(Process process, BooleanSupplier partWay, String what, Path log) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!partWay.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("The other JVM " + (process.isAlive() ? "did not reach " : "ended before it was ") + what
            + ":\n" + read(log));
      }
      LockSupport.parkNanos(1_000_000);
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How far a process has read or written an open file, from Linux's {@code /proc/<pid>/fdinfo}; -1 if not open. */
  public static long positionIn(Process process, Path file) {
    Path descriptors = Path.of("/proc", Long.toString(process.pid()), "fd");
    try (Stream<Path> open = Files.list(descriptors)) {
      // The kernel names an open file by its real path, symbolic links resolved.
      Path real = file.toRealPath();
      for (Path descriptor : open.toList()) {
        try {
          if (Files.readSymbolicLink(descriptor).equals(real)) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "fdinfo",
                descriptor.getFileName().toString()))) {
              if (line.startsWith("pos:")) {
                return Long.parseLong(line.substring(4).strip());
              }
            }
          }
        } catch (IOException closedMeanwhile) {
          // The descriptor was closed between the listing and the look: not this one any more.
        }
      }
      return -1;
    } catch (IOException processGone) {
      return -1;
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
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
