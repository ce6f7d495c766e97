package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system of a fixed size (tmpfs), mounted for one test: media or a store that fill up as real devices do,
 * with ENOSPC from the kernel. Mounting needs root (or sudo without a password); where neither is available the
 * test is skipped on a developer's machine and fails under CI=true or -Dsmall-disk.tests.required=true.
 */
public final class SmallDisk implements AutoCloseable {

  private final Path mountPoint;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  public static SmallDisk mount(Path mountPoint, long bytes) throws IOException, InterruptedException {
    Files.createDirectories(mountPoint);
    String output = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mountPoint.toString());
    if (output != null) {
      String message = "Cannot mount a small file system at " + mountPoint + ": " + output.strip();
      if (Boolean.getBoolean("small-disk.tests.required") || "true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message + " (skipped; set CI=true or -Dsmall-disk.tests.required=true to make this fail)");
    }
    return new SmallDisk(mountPoint);
  }

  public Path path() {
    return mountPoint;
  }

  public long free() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    String output = run("umount", "--lazy", mountPoint.toString());
    if (output != null) {
      throw new IllegalStateException("Cannot unmount " + mountPoint + ": " + output);
    }
  }

  /** Runs a command as root (directly, or through sudo -n); null when it succeeded, else what it said. */
  private static String run(String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(command));
    if (!"root".equals(System.getProperty("user.name"))) {
      argv.addAll(0, List.of("sudo", "-n"));
    }
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.waitFor() == 0 ? null : output;
  }
}
