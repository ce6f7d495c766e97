package dev.ocmirror.orchestrator.ocmirror;

/**
 * How oc-mirror is run on one host.
 *
 * @param binary path of the oc-mirror executable on that host
 * @param runsDirectory where detached runs keep their pid, output and exit status
 * @param flags the flags the site set for this host
 * @param environment the environment variables the site set for this host
 */
public record OcMirrorSettings(String binary, String runsDirectory, OcMirrorFlags flags, OcMirrorEnvironment environment) {

  public OcMirrorSettings {
    if (binary == null || binary.isBlank()) {
      throw new IllegalArgumentException("oc-mirror settings need the path of the oc-mirror binary");
    }
    if (runsDirectory == null || !runsDirectory.startsWith("/")) {
      throw new IllegalArgumentException("oc-mirror settings need an absolute runs directory, not '" + runsDirectory + "'");
    }
    flags = flags == null ? OcMirrorFlags.NONE : flags;
    environment = environment == null ? OcMirrorEnvironment.NONE : environment;
  }

  public static OcMirrorSettings of(String binary, String runsDirectory) {
    return new OcMirrorSettings(binary, runsDirectory, OcMirrorFlags.NONE, OcMirrorEnvironment.NONE);
  }
}
