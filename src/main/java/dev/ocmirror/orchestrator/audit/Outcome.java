package dev.ocmirror.orchestrator.audit;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.EndEvents;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a lifecycle, or its delivery to one enclave, came out. Each outcome the models know ends at an end event
 * of its own; an instance that ended anywhere else (cancelled, terminated) failed.
 */
public enum Outcome {
  RUNNING, DELIVERED, ROLLED_BACK, REJECTED, ABANDONED, FAILED;

  private static final Map<String, Outcome> BY_END_EVENT = Map.ofEntries(
      Map.entry(EndEvents.ENCLAVE_UPDATED, DELIVERED),
      Map.entry(EndEvents.TRANSFER_REJECTED, REJECTED),
      Map.entry(EndEvents.ABANDONED_AT_RECEIPT, ABANDONED),
      Map.entry(EndEvents.ABANDONED_AT_IMPORT, ABANDONED),
      Map.entry(EndEvents.DELIVERED, DELIVERED),
      Map.entry(EndEvents.LIFECYCLE_ABANDONED, ABANDONED),
      Map.entry(EndEvents.ROLLED_BACK, ROLLED_BACK),
      Map.entry(EndEvents.ROLLBACK_REJECTED, REJECTED),
      Map.entry(EndEvents.ROLLBACK_ABANDONED, ABANDONED),
      Map.entry(EndEvents.NO_ROLLBACK, ABANDONED),
      Map.entry(EndEvents.REFUSED_AT_STATION, FAILED),
      Map.entry(EndEvents.MEDIA_IMPORTED, DELIVERED),
      Map.entry(EndEvents.MEDIA_REFUSED, FAILED),
      Map.entry(EndEvents.IMPORT_REJECTED, REJECTED));

  /** From the worst down: a lifecycle delivered to some enclaves and not to others takes its worst delivery's. */
  private static final List<Outcome> WORST_FIRST = List.of(FAILED, RUNNING, ABANDONED, REJECTED, ROLLED_BACK, DELIVERED);

  /** The outcome an end event stands for; empty for an end that decides nothing (a reminder's, or "see deliveries"). */
  public static Optional<Outcome> ofEndEvent(String activityId) {
    return Optional.ofNullable(BY_END_EVENT.get(activityId));
  }

  public static Outcome worst(Collection<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return FAILED;
    }
    return WORST_FIRST.stream().filter(outcomes::contains).findFirst().orElse(FAILED);
  }
}
