package dev.ocmirror.orchestrator.process;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;

/** Which lifecycle a step or a task belongs to: the root of its process instance tree. */
final class Lifecycles {

  private Lifecycles() {
  }

  static String rootOf(DelegateExecution execution) {
    String root = ((ExecutionEntity) execution).getRootProcessInstanceId();
    return root != null ? root : execution.getProcessInstanceId();
  }

  static String rootOf(DelegateTask task) {
    return rootOf(task.getExecution());
  }
}
