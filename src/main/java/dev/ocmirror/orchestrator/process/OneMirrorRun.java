package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/** The rule that one baseline or update runs at a time, checked at the start and again before a generation is built. */
final class OneMirrorRun {

  private OneMirrorRun() {
  }

  /**
   * Only one baseline or update at a time: both would take the same generation number and run oc-mirror in the
   * same workspace. The check sees every instance, whoever starts.
   */
  static Optional<String> otherThan(DelegateExecution execution) {
    return running(execution, Processes.BUILDING).map(other -> "lifecycle " + other
        + " is still building or delivering a generation; one baseline or update runs at a time");
  }

  /**
   * On a receiving station, one import at a time, media receipt or rollback: two imports into one cache would each
   * check a moving target, and both apply cluster resources.
   */
  static Optional<String> otherStationImportThan(DelegateExecution execution) {
    return running(execution, Processes.STATION).map(other -> "process instance " + other
        + " is still taking media in or rolling back; a station does one after the other");
  }

  private static Optional<String> running(DelegateExecution execution, List<String> processes) {
    CommandContext context = Context.getCommandContext();
    boolean checking = context.isAuthorizationCheckEnabled();
    context.disableAuthorizationCheck();
    try {
      return execution.getProcessEngineServices().getRuntimeService().createProcessInstanceQuery()
          .processDefinitionKeyIn(processes.toArray(String[]::new)).list().stream()
          .map(ProcessInstance::getId).filter(id -> !id.equals(Lifecycles.rootOf(execution))).findFirst();
    } finally {
      if (checking) {
        context.enableAuthorizationCheck();
      }
    }
  }
}
