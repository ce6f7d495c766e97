package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Executables the lifecycle tests configure in place of real ones. */
public final class StandIns {

  private StandIns() {
  }

  /**
   * {@code oc}, which records each apply in {@code oc-apply.log} beside it: no cluster exists in the tests. While a
   * file {@code hold-<kubeconfig's name>} lies beside it, an apply to that cluster writes {@code held-<name>} and waits
   * without applying: so that a test can kill the node between two clusters.
   */
  public static Path oc(Path bin) throws IOException {
    return script(bin.resolve("oc"), "# Stand-in for oc: records each apply, since no cluster exists in the test.\n"
        + "here=\"$(dirname \"$0\")\"\n"
        + "if [ \"$1\" = apply ] && [ -f \"$here/hold-$(basename \"$3\")\" ]; then touch \"$here/held-$(basename \"$3\")\"; sleep 600; fi\n"
        + "echo \"$*\" >> \"$here/oc-apply.log\"\n");
  }

  /**
   * {@code oc-mirror} as the simulator, slowed down per image while a file {@code slow} beside it holds the
   * milliseconds: so that a test can stop a worker in the middle of a run.
   */
  public static Path slowableOcMirror(Path bin, String simulator) throws IOException {
    return script(bin.resolve("oc-mirror"), "if [ -f \"$(dirname \"$0\")/slow\" ]; then "
        + "export OC_MIRROR_SIMULATOR_DELAY_PER_IMAGE_MS=$(cat \"$(dirname \"$0\")/slow\"); fi\n"
        + "exec " + simulator + " \"$@\"\n");
  }

  /** {@code oc-mirror} as the simulator behaving as the given release (e.g. {@code 4.16}, contract section 9). */
  public static Path ocMirrorOfRelease(Path bin, String simulator, String release) throws IOException {
    return script(bin.resolve("oc-mirror-" + release), "export OC_MIRROR_SIMULATOR_RELEASE=" + release + "\nexec " + simulator
        + " \"$@\"\n");
  }

  private static Path script(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
