package dev.ocmirror.orchestrator.simulator;

import dev.ocmirror.orchestrator.remote.ShellQuoting;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Installs the simulator as an {@code oc-mirror} executable: a script running it on this JVM and class path. */
public final class SimulatorInstallation {

  private SimulatorInstallation() {
  }

  public static Path install(Path directory) {
    try {
      Files.createDirectories(directory);
      Path script = directory.resolve("oc-mirror");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classPath = System.getProperty("java.class.path");
      // From the packaged jar the classes sit under BOOT-INF/: the jar's own main hands the subcommand over.
      String launch = classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)
          ? "-jar " + ShellQuoting.quote(Path.of(classPath).toAbsolutePath().toString()) + " " + OcMirrorSimulator.COMMAND
          : "-cp " + ShellQuoting.quote(classPath) + " " + OcMirrorSimulator.class.getName();
      Files.writeString(script, "#!/bin/sh\n# oc-mirror SIMULATOR (tests and demo only; production runs the real oc-mirror)\n"
          + "exec " + ShellQuoting.quote(java) + " -XX:TieredStopAtLevel=1 -Xshare:auto " + launch + " \"$@\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
