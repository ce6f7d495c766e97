package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.ocmirror.OcMirrorOutcome;
import dev.ocmirror.orchestrator.ocmirror.Workflow;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.Host;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * mirrorToDisk on the mirror host, into the lineage's workspace: as a dry run, which counts the images and keeps
 * their list for the ledger, or for real, which writes the generation's archives.
 */
public final class MirrorToDisk implements OcMirrorStep {

  static final int MAX_MAPPING = 64 << 20;

  private final LifecycleProperties.Mirror mirror;
  private final Hosts hosts;
  private final boolean dryRun;

  private MirrorToDisk(LifecycleProperties.Mirror mirror, Hosts hosts, boolean dryRun) {
    this.mirror = mirror;
    this.hosts = hosts;
    this.dryRun = dryRun;
  }

  public static MirrorToDisk dryRun(LifecycleProperties properties, Hosts hosts) {
    return new MirrorToDisk(properties.mirror(), hosts, true);
  }

  public static MirrorToDisk archives(LifecycleProperties properties, Hosts hosts) {
    return new MirrorToDisk(properties.mirror(), hosts, false);
  }

  @Override
  public Host openHost(Purpose purpose) {
    return hosts.open(mirror.host());
  }

  @Override
  public OcMirrorClient client(Host host, Purpose purpose) {
    return new OcMirrorClient(host, mirror.settings());
  }

  @Override
  public DetachedRun start(OcMirrorClient client, String runId, Purpose purpose) {
    return client.startMirrorToDisk(runId, mirror.workspace(Purpose.needed(purpose.lineage(), "lineage")),
        mirror.cacheDirectory(), Purpose.needed(purpose.imagesetConfig(), "ImageSetConfiguration"), dryRun, null);
  }

  @Override
  public RunVerdict finish(OcMirrorClient client, DetachedRun run, Purpose purpose) {
    String lineage = Purpose.needed(purpose.lineage(), "lineage");
    int generation = Purpose.needed(purpose.generation(), "generation");
    String workspace = mirror.workspace(lineage);
    OcMirrorOutcome outcome = client.outcome(run, Workflow.MIRROR_TO_DISK, workspace, dryRun);
    String version = outcome.ocMirrorVersion() == null ? "unknown" : outcome.ocMirrorVersion();
    RunVerdict.Results results = new RunVerdict.Results(version, null, null, null, null);
    if (outcome.succeeded() && dryRun) {
      Host host = client.host();
      byte[] mapping = host.read(workspace + "/working-dir/dry-run/mapping.txt", MAX_MAPPING);
      host.write(mirror.mappingFile(lineage, generation), mapping);
      List<String> images = mappingImages(new String(mapping, StandardCharsets.UTF_8));
      int missing = host.stat(workspace + "/working-dir/dry-run/missing.txt").isPresent()
          ? mappingImages(new String(host.read(workspace + "/working-dir/dry-run/missing.txt", MAX_MAPPING),
              StandardCharsets.UTF_8)).size() : 0;
      results = new RunVerdict.Results(version, images.size(), missing, null, null);
    } else if (outcome.succeeded()) {
      results = new RunVerdict.Results(version, null, null, outcome.archives().size(), null);
    }
    return OutcomeVerdicts.of(outcome, run, purpose, DecisionNeeded.Reason.MIRROR_FAILED, results);
  }

  /**
   * The images of a dry run's {@code mapping.txt} as the cache names them ({@code repo:tag}, or
   * {@code repo:sha256-<hex>} for digest references): the part after the cache registry's host and port.
   */
  static List<String> mappingImages(String mapping) {
    List<String> images = new ArrayList<>();
    for (String line : mapping.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int equals = trimmed.lastIndexOf("=docker://");
      if (equals < 0) {
        throw new IllegalStateException("Unexpected line in oc-mirror's mapping.txt: " + trimmed);
      }
      String cache = trimmed.substring(equals + "=docker://".length());
      int slash = cache.indexOf('/');
      images.add(slash < 0 ? cache : cache.substring(slash + 1));
    }
    return images;
  }
}
