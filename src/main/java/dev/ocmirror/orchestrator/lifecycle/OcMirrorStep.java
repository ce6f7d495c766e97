package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.Host;

/**
 * One long oc-mirror run of the lifecycle (dry run, mirrorToDisk, import). The worker starts it under a run id
 * that outlives the service, follows it, and hands the finished run back for judgement; starting again with
 * the same id reattaches instead of running twice.
 */
public interface OcMirrorStep {

  /**
   * What a run is for. Which fields a step needs depends on the step; it says which one is missing.
   *
   * @param processInstanceId the process instance the run is for: a step may check a record of it (a rollback's
   *     approval) before it starts
   * @param importGeneration the generation an import brings in, one of those its transfer carries
   * @param transferId the transfer an import takes its archives from; none for a rollback's re-import
   * @param attempt 1 for the first run of the task, 2 for its first retry, and so on
   */
  record Purpose(String processInstanceId, String enclave, String lineage, Integer generation, String imagesetConfig,
      Integer importGeneration, String transferId, int attempt) {

    static <T> T needed(T value, String what) {
      if (value == null || value instanceof String text && text.isBlank()) {
        throw new IllegalStateException("The oc-mirror run has no " + what);
      }
      return value;
    }
  }

  /** The host the run belongs on; the caller closes it. */
  Host openHost(Purpose purpose);

  OcMirrorClient client(Host host, Purpose purpose);

  DetachedRun start(OcMirrorClient client, String runId, Purpose purpose);

  RunVerdict finish(OcMirrorClient client, DetachedRun run, Purpose purpose);
}
