package dev.ocmirror.orchestrator.ledger;

import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.CommandResult;
import dev.ocmirror.orchestrator.remote.Host;
import dev.ocmirror.orchestrator.remote.HostException;
import dev.ocmirror.orchestrator.remote.OutputListener;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Lists the blobs an oc-mirror cache really holds on its host: the ground truth a transfer plan builds on. */
public final class CacheInventory {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private CacheInventory() {
  }

  /**
   * Digests of every blob with content in {@code <cacheDirectory>/.oc-mirror/.cache} (the directory given to
   * oc-mirror as {@code OC_MIRROR_CACHE}); empty when the cache does not exist.
   */
  public static Set<String> blobs(Host host, String cacheDirectory) {
    String root = cacheDirectory + "/.oc-mirror/.cache/docker/registry/v2/blobs/sha256";
    if (host.stat(root).isEmpty()) {
      return Set.of();
    }
    Set<String> digests = new HashSet<>();
    StringBuilder errors = new StringBuilder();
    // Only blobs whose data file exists count: an interrupted upload leaves a directory without one.
    CommandResult result = host.run(Command.of("find", root, "-mindepth", "3", "-maxdepth", "3", "-type", "f",
        "-name", "data", "-printf", "%h\\n"), (stream, line) -> {
          if (stream == OutputListener.Stream.STDERR) {
            errors.append(line).append('\n');
            return;
          }
          String hex = line.substring(line.lastIndexOf('/') + 1);
          if (HEX.matcher(hex).matches()) {
            digests.add("sha256:" + hex);
          }
        }, Duration.ofMinutes(30));
    if (!result.succeeded()) {
      throw new HostException("Cannot list the oc-mirror cache " + root + " on " + host.name() + ": " + errors.toString().trim());
    }
    return digests;
  }
}
