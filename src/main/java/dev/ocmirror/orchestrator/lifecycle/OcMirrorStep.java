package dev.ocmirror.orchestrator.lifecycle;

import dev.ocmirror.orchestrator.ocmirror.OcMirrorClient;
import dev.ocmirror.orchestrator.remote.DetachedRun;
import dev.ocmirror.orchestrator.remote.Host;
import java.util.Map;

/**
 * One long oc-mirror run of the lifecycle (dry run, mirrorToDisk, import). The worker starts it under a run id
 * that outlives the service, follows it, and hands the finished run back for judgement; starting again with
 * the same id reattaches instead of running twice.
 */
public interface OcMirrorStep {

  /**
   * Besides the process variables, the worker passes the id of the process instance the run is for under this
   * name: a step may check a record of that instance (a rollback's approval) before it starts.
   */
  String PROCESS_INSTANCE = "processInstanceId";

  /** The external task topic the process models use for this step. */
  String topic();

  /** The host the run belongs on; the caller closes it. */
  Host openHost(Map<String, Object> variables);

  OcMirrorClient client(Host host, Map<String, Object> variables);

  DetachedRun start(OcMirrorClient client, String runId, Map<String, Object> variables);

  RunVerdict finish(OcMirrorClient client, DetachedRun run, Map<String, Object> variables);
}
