package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.ClusterApply;
import dev.ocmirror.orchestrator.remote.Command;
import dev.ocmirror.orchestrator.remote.FileEntry;
import dev.ocmirror.orchestrator.remote.Host;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies the cluster resources the import of a generation wrote to every configured cluster of the enclave with
 * {@code oc apply}. Earlier generations' resources stay in their import directories for rollback.
 */
public final class ApplyClusterResources {

  private static final Duration OC_APPLY_LIMIT = Duration.ofMinutes(10);

  private final LifecycleProperties properties;
  private final Hosts hosts;
  private final ClusterApplies applies;
  private final Controls controls;

  public ApplyClusterResources(LifecycleProperties properties, Hosts hosts, ClusterApplies applies, Controls controls) {
    this.properties = properties;
    this.hosts = hosts;
    this.applies = applies;
    this.controls = controls;
  }

  /**
   * @param rollback a rollback applies an earlier generation again, and only as a change manager approved it
   * @return per cluster, the files applied
   */
  public List<String> apply(String enclaveName, String lineage, int generation, String processInstanceId, boolean rollback) {
    LifecycleProperties.Enclave enclave = properties.enclave(enclaveName);
    if (rollback) {
      controls.requireApprovalToRollBack(processInstanceId, enclaveName, lineage, generation);
    }
    List<String> applied = new ArrayList<>();
    try (Host host = hosts.open(enclave.importHost())) {
      String directory = enclave.importDirectory(lineage, generation) + "/working-dir/cluster-resources";
      List<FileEntry> files = host.list(directory).stream()
          .filter(entry -> !entry.directory() && entry.name().endsWith(".yaml"))
          .toList();
      if (files.isEmpty()) {
        throw new IllegalStateException("No cluster resources in " + directory + " on " + host.name()
            + (rollback ? "; the import directory of generation " + generation + " is gone" : ""));
      }
      // An attempt after a crash applies only the clusters the one before did not finish.
      Set<String> alreadyApplied = applies.appliedBy(processInstanceId, enclaveName, generation, rollback);
      for (LifecycleProperties.Cluster cluster : enclave.clusters()) {
        if (alreadyApplied.contains(cluster.name())) {
          applied.add(cluster.name() + ": applied by an earlier attempt of this step");
          continue;
        }
        for (FileEntry file : files) {
          host.runToSuccess(Command.of(enclave.oc(), "apply", "--kubeconfig", cluster.kubeconfig(), "-f", file.path()),
              "oc apply of " + file.name() + " to cluster " + cluster.name(), OC_APPLY_LIMIT);
        }
        List<String> names = files.stream().map(FileEntry::name).toList();
        applies.record(new ClusterApply(enclaveName, cluster.name(), lineage, generation, names, Instant.now(),
            processInstanceId, rollback));
        applied.add(cluster.name() + ": " + String.join(", ", names));
      }
    }
    return applied;
  }
}
