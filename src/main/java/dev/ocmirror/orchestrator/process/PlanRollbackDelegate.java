package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.PlanRollback;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Finds the generation an enclave goes back to: the one it held before its live one. */
@Component("planRollback")
class PlanRollbackDelegate extends StepDelegate {

  private final PlanRollback step;

  PlanRollbackDelegate(PlanRollback step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    PlanRollback.RollbackPlan plan = step.plan(text(execution, ENCLAVE));
    execution.setVariable(LINEAGE, plan.lineage());
    execution.setVariable(FROM_GENERATION, plan.fromGeneration());
    execution.setVariable(GENERATION, plan.toGeneration());
    execution.setVariable(IMPORT_GENERATION, plan.toGeneration());
    execution.setVariable(ROLLBACK_SUMMARY, plan.summary());
  }
}
