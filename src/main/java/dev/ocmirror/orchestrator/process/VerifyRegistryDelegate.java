package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.CheckRegistry;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Asks the enclave's registry for every image of the generation; one missing leads to a person. */
@Component("verifyRegistry")
class VerifyRegistryDelegate extends StepDelegate {

  private final CheckRegistry step;

  VerifyRegistryDelegate(CheckRegistry step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    CheckRegistry.Findings check = step.check(text(execution, ENCLAVE), text(execution, LINEAGE),
        number(execution, GENERATION), true);
    execution.setVariable(IMAGES_VERIFIED, check.images());
  }
}
