package dev.ocmirror.orchestrator.ledger;

import java.time.Instant;
import java.util.List;

/** Cluster resources applied to one cluster, as recorded after {@code oc apply} succeeded. */
public record ClusterApply(String enclave, String cluster, String lineageId, int generation, List<String> resources,
    Instant appliedAt, String processInstanceId, boolean rollback) {

  public ClusterApply {
    resources = List.copyOf(resources);
  }
}
