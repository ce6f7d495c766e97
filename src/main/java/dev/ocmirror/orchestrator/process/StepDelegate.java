package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.FAILURE_DETAILS;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.FAILURE_REASON;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.FAILURE_SUMMARY;

import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * A service task of the models, a thin adapter: read variables, call one domain step, write its result. A
 * {@link DecisionNeeded} becomes a BPMN error with its reason as code, so that the model leads to a person; any
 * other exception rolls back and retries (see {@link RetryPolicy}), and ends as an incident.
 */
abstract class StepDelegate implements JavaDelegate {

  /** Details beyond this keep their end, where oc-mirror writes its verdict; far above a real failure's. */
  static final int MAX_DETAILS = 4 * 1024 * 1024;

  @Override
  public final void execute(DelegateExecution execution) throws Exception {
    try {
      run(execution);
    } catch (DecisionNeeded decision) {
      recordFailure(execution, decision.reason().name(), decision.getMessage(), decision.details());
      throw new BpmnError(decision.reason().name(), decision.getMessage());
    }
  }

  /** What the person deciding on a failure reads: its reason, what happened, and the details. */
  static void recordFailure(DelegateExecution execution, String reason, String summary, String details) {
    execution.setVariable(FAILURE_REASON, reason);
    execution.setVariable(FAILURE_SUMMARY, summary);
    execution.setVariable(FAILURE_DETAILS, truncated(details));
  }

  protected abstract void run(DelegateExecution execution) throws Exception;

  static String truncated(String text) {
    return text.length() <= MAX_DETAILS ? text : "..." + text.substring(text.length() - MAX_DETAILS);
  }

  static String text(DelegateExecution execution, String name) {
    return (String) execution.getVariable(name);
  }

  static Integer number(DelegateExecution execution, String name) {
    return (Integer) execution.getVariable(name);
  }
}
