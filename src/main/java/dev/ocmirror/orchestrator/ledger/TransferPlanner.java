package dev.ocmirror.orchestrator.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans the smallest transfer that makes an import provably complete.
 *
 * <p>oc-mirror archives a blob once, in the first generation that needed it, and leaves it out of every later
 * archive (contract section 3). Hence each blob the target needs is either already in the enclave's cache or
 * in exactly one generation's archives, and the smallest set of generations is exactly the set of those
 * generations. "Already in the cache" means listed in the cache directory on the import host, not what the
 * ledger believes was imported: caches get lost and rebuilt.
 */
public final class TransferPlanner {

  /**
   * @param lineage every generation of the target's lineage up to and including the target
   * @param neededBlobs every blob (manifests, configs, layers) every image of the target needs
   * @param neededBlobSizes sizes of those blobs, for the new-baseline estimate
   * @param cacheBlobs blobs listed in the enclave's oc-mirror cache on its import host
   * @param ledgerImported generations the ledger records as imported into that cache
   */
  public TransferPlan plan(String enclave, int target, Map<Integer, GenerationContent> lineage, Set<String> neededBlobs,
      Map<String, Long> neededBlobSizes, Set<String> cacheBlobs, Set<Integer> ledgerImported) {
    if (!lineage.containsKey(target)) {
      throw new IllegalArgumentException("Generation " + target + " is not in the lineage given to the planner");
    }
    SortedMap<Integer, GenerationContent> generations = new TreeMap<>(lineage);
    for (int number = generations.firstKey(); number <= target; number++) {
      if (!generations.containsKey(number)) {
        throw new IllegalArgumentException("Generation " + number + " of the lineage is unknown to the ledger: "
            + "a gap in the sequence; a plan over it would be a guess");
      }
    }
    List<String> reasons = new ArrayList<>();
    TreeSet<Integer> carry = new TreeSet<>();
    carry.add(target);
    Set<String> unaccounted = new HashSet<>();
    Map<Integer, Integer> blobsFrom = new TreeMap<>();
    for (String blob : neededBlobs) {
      if (cacheBlobs.contains(blob)) {
        continue;
      }
      Integer source = firstArchiving(generations, target, blob);
      if (source == null) {
        unaccounted.add(blob);
      } else {
        carry.add(source);
        blobsFrom.merge(source, 1, Integer::sum);
      }
    }

    for (Integer imported : ledgerImported) {
      if (carry.contains(imported) && imported != target) {
        reasons.add("the ledger records generation " + imported + " as imported, but " + blobsFrom.get(imported)
            + " of its blobs are not in the cache on the import host (cache lost or pruned), so it is carried again");
      }
    }
    for (Integer number : carry) {
      if (number != target && !ledgerImported.contains(number)) {
        reasons.add("generation " + number + " was never imported here; " + blobsFrom.get(number) + " needed blob(s) come from it");
      }
    }
    long bytes = carry.stream().mapToLong(number -> generations.get(number).archiveBytes()).sum();
    List<TransferPlan.Alternative> alternatives = alternatives(generations, target, neededBlobSizes);
    List<Integer> gone = carry.stream().filter(number -> !generations.get(number).archivesAvailable()).toList();
    if (!gone.isEmpty()) {
      reasons.add(0, "the archives of generation(s) " + gone + " are needed but were deleted by retention; "
          + "take a new baseline or restore the cache from a backup");
      return new TransferPlan(enclave, target, TransferPlan.Verdict.NOT_PROVABLE, List.copyOf(carry), bytes,
          unaccounted.size(), reasons, alternatives);
    }
    if (!unaccounted.isEmpty()) {
      reasons.add(0, unaccounted.size() + " needed blob(s) are neither in the cache nor in any archive of this lineage "
          + "(for example " + unaccounted.iterator().next() + "); carrying archives cannot complete the import. "
          + "Take a new baseline or restore the cache.");
      return new TransferPlan(enclave, target, TransferPlan.Verdict.NOT_PROVABLE, List.copyOf(carry), bytes,
          unaccounted.size(), reasons, alternatives);
    }
    if (carry.size() == 1) {
      reasons.add(0, "the cache on the import host holds every blob of earlier generations that generation " + target
          + " needs; only generation " + target + " is carried");
    } else {
      reasons.add(0, "generations " + carry + " together with the cache contain every blob generation " + target + " needs");
    }
    return new TransferPlan(enclave, target, TransferPlan.Verdict.PROVEN_COMPLETE, List.copyOf(carry), bytes, 0, reasons,
        alternatives);
  }

  private static Integer firstArchiving(SortedMap<Integer, GenerationContent> generations, int target, String blob) {
    for (GenerationContent generation : generations.headMap(target + 1).values()) {
      if (generation.archivedBlobs().contains(blob)) {
        return generation.number();
      }
    }
    return null;
  }

  private static List<TransferPlan.Alternative> alternatives(SortedMap<Integer, GenerationContent> generations, int target,
      Map<String, Long> neededBlobSizes) {
    List<Integer> all = List.copyOf(generations.headMap(target + 1).keySet());
    long cumulative = all.stream().mapToLong(number -> generations.get(number).archiveBytes()).sum();
    long baseline = neededBlobSizes.values().stream().mapToLong(Long::longValue).sum();
    return List.of(
        new TransferPlan.Alternative(TransferPlan.AlternativeKind.CUMULATIVE, all, cumulative,
            "every generation " + all.get(0) + ".." + target + " of the lineage, imported in order into the cache. Choose it"
                + " when the enclave's cache is in doubt: it needs nothing from the cache"),
        new TransferPlan.Alternative(TransferPlan.AlternativeKind.NEW_BASELINE, List.of(), baseline,
            "a new full mirror (a new lineage) holding every blob generation " + target + " needs. Choose it when archives"
                + " this plan needs were deleted, or to start the lineage afresh. The size counts the image blobs alone;"
                + " an archive also holds oc-mirror's metadata and tar framing, so it comes out larger and this figure"
                + " can look smaller than the plan's"));
  }
}
