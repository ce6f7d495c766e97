package dev.ocmirror.orchestrator.ledger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which generations of a lineage the archive store must keep: every generation some enclave has not yet
 * imported (it may still have to be carried), plus the newest {@code keepForRollback} generations (a rollback
 * may have to re-import them). Everything else may go.
 */
public final class Retention {

  private final int keepForRollback;

  public Retention(int keepForRollback) {
    if (keepForRollback < 1) {
      throw new IllegalArgumentException("Retention must keep at least the newest generation, not " + keepForRollback);
    }
    this.keepForRollback = keepForRollback;
  }

  /**
   * @param generations every generation of the lineage in the store
   * @param importedByEnclave for each enclave following this lineage, the generations imported into its cache
   * @return the generations that may be deleted, oldest first
   */
  public List<Integer> deletable(Collection<Integer> generations, Map<String, Set<Integer>> importedByEnclave) {
    TreeSet<Integer> all = new TreeSet<>(generations);
    TreeSet<Integer> deletable = new TreeSet<>();
    int kept = 0;
    for (Integer generation : all.descendingSet()) {
      if (kept < keepForRollback) {
        kept++;
        continue;
      }
      boolean everywhere = importedByEnclave.values().stream().allMatch(imported -> imported.contains(generation));
      if (everywhere) {
        deletable.add(generation);
      }
    }
    return List.copyOf(deletable);
  }
}
