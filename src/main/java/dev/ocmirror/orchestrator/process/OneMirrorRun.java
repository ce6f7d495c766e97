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
    CommandContext context = Context.getCommandContext();
    boolean checking = context.isAuthorizationCheckEnabled();
    context.disableAuthorizationCheck();
    try {
      List<ProcessInstance> running = execution.getProcessEngineServices().getRuntimeService().createProcessInstanceQuery()
          .processDefinitionKeyIn(Processes.BUILDING.toArray(String[]::new)).list().stream()
          .filter(instance -> !instance.getId().equals(Lifecycles.rootOf(execution))).toList();
      return running.isEmpty() ? Optional.empty() : Optional.of("lifecycle " + running.get(0).getId()
          + " is still building or delivering a generation; one baseline or update runs at a time");
    } finally {
      if (checking) {
        context.enableAuthorizationCheck();
      }
    }
  }
}
