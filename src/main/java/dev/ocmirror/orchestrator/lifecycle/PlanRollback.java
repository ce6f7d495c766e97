package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ledger.ClusterApplies;
import dev.ocmirror.orchestrator.ledger.ClusterApply;
import java.util.List;

/**
 * Going back one generation on an enclave's clusters: find what is live and what of the same lineage was live
 * before it.
 */
public final class PlanRollback {

  private final LifecycleProperties properties;
  private final ClusterApplies applies;

  public PlanRollback(LifecycleProperties properties, ClusterApplies applies) {
    this.properties = properties;
    this.applies = applies;
  }

  /** @param summary what a change manager approves, in words */
  public record RollbackPlan(String lineage, int fromGeneration, int toGeneration, String summary) {
  }

  public RollbackPlan plan(String enclaveName) {
    properties.enclave(enclaveName);
    List<ClusterApply> history = applies.history(enclaveName);
    if (history.isEmpty()) {
      throw new DecisionNeeded(DecisionNeeded.Reason.NOTHING_TO_ROLL_BACK, "Enclave " + enclaveName
          + " has no cluster resources applied yet; there is nothing to roll back", "");
    }
    ClusterApply live = history.get(history.size() - 1);
    ClusterApply previous = null;
    for (int i = history.size() - 2; i >= 0; i--) {
      ClusterApply candidate = history.get(i);
      if (candidate.lineageId().equals(live.lineageId()) && candidate.generation() < live.generation()) {
        previous = candidate;
        break;
      }
    }
    if (previous == null) {
      throw new DecisionNeeded(DecisionNeeded.Reason.NOTHING_TO_ROLL_BACK, "Enclave " + enclaveName + " runs generation "
          + live.generation() + " of lineage " + live.lineageId() + " and none earlier of it was ever applied", "");
    }
    String summary = "Roll enclave " + enclaveName + " back from generation " + live.generation() + " (applied "
        + live.appliedAt() + ") to generation " + previous.generation() + " of lineage " + live.lineageId()
        + ": its cluster resources (" + String.join(", ", previous.resources()) + ") are applied again to every cluster;"
        + " images missing from the registry are imported again from the archives kept on the import host.";
    return new RollbackPlan(live.lineageId(), live.generation(), previous.generation(), summary);
  }
}
