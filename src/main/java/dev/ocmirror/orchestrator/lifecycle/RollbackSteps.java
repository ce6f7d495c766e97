package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ledger.LedgerRepository;
import java.util.List;

/**
 * Going back one generation on an enclave's clusters: find what is live and what was live before, and whether
 * the registry still holds the earlier content.
 */
public final class RollbackSteps {

  private final LifecycleProperties properties;
  private final LedgerRepository ledger;

  public RollbackSteps(LifecycleProperties properties, LedgerRepository ledger) {
    this.properties = properties;
    this.ledger = ledger;
  }

  /** @param summary what a change manager approves, in words */
  public record RollbackPlan(String lineage, int fromGeneration, int toGeneration, String summary) {
  }

  public RollbackPlan plan(String enclaveName) {
    properties.enclave(enclaveName);
    List<LedgerRepository.ClusterApply> history = ledger.clusterHistory(enclaveName);
    if (history.isEmpty()) {
      throw new DecisionNeeded(DecisionNeeded.Reason.NOTHING_TO_ROLL_BACK, "Enclave " + enclaveName
          + " has no cluster resources applied yet; there is nothing to roll back", "");
    }
    LedgerRepository.ClusterApply live = history.get(history.size() - 1);
    LedgerRepository.ClusterApply previous = null;
    for (int i = history.size() - 2; i >= 0; i--) {
      LedgerRepository.ClusterApply candidate = history.get(i);
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
