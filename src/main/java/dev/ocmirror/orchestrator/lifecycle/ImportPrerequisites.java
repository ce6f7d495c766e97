package dev.ocmirror.orchestrator.lifecycle;

/**
 * What a receiving station checks before each import: the generations and blobs the media build on are still in its
 * cache (an approval may have waited days). Implemented where the station's checks live; the connected side checks
 * the cache when it plans.
 */
public interface ImportPrerequisites {

  /** Throws {@link DecisionNeeded} naming what is missing. */
  void check(String transferId);

  ImportPrerequisites NONE = transferId -> {
  };
}
