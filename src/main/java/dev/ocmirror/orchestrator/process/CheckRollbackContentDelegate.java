package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.CheckRegistry;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Finds whether the registry still holds the generation rolled back to, or whether it must be imported again. */
@Component("checkRollbackContent")
class CheckRollbackContentDelegate extends StepDelegate {

  private final CheckRegistry step;

  CheckRollbackContentDelegate(CheckRegistry step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    CheckRegistry.Findings check = step.check(text(execution, ENCLAVE), text(execution, LINEAGE),
        number(execution, GENERATION), false);
    execution.setVariable(REIMPORT_NEEDED, !check.problems().isEmpty());
    execution.setVariable(MISSING_IMAGES, String.join("\n", check.problems()));
  }
}
