package dev.ocmirror.orchestrator.ocmirror;

import java.util.List;

/**
 * How oc-mirror is run on one host.
 *
 * @param binary path of the oc-mirror executable on that host
 * @param runsDirectory where detached runs keep their pid, output and exit status
 * @param authFile registry credentials file passed as {@code --authfile}; null for oc-mirror's default lookup
 * @param parallelImages {@code --parallel-images}, 1..10, null for oc-mirror's default
 * @param retryTimes {@code --retry-times}, null for oc-mirror's default
 * @param extraArguments further flags, each one argument (e.g. {@code --dest-tls-verify=false})
 */
public record OcMirrorSettings(String binary, String runsDirectory, String authFile, Integer parallelImages,
    Integer retryTimes, List<String> extraArguments) {

  public OcMirrorSettings {
    if (binary == null || binary.isBlank()) {
      throw new IllegalArgumentException("oc-mirror settings need the path of the oc-mirror binary");
    }
    if (runsDirectory == null || !runsDirectory.startsWith("/")) {
      throw new IllegalArgumentException("oc-mirror settings need an absolute runs directory, not '" + runsDirectory + "'");
    }
    if (parallelImages != null && (parallelImages < 1 || parallelImages > 10)) {
      throw new IllegalArgumentException("--parallel-images must be 1..10 (oc-mirror refuses others), not " + parallelImages);
    }
    extraArguments = extraArguments == null ? List.of() : List.copyOf(extraArguments);
  }

  public static OcMirrorSettings of(String binary, String runsDirectory) {
    return new OcMirrorSettings(binary, runsDirectory, null, null, null, List.of());
  }
}
