package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Asks the enclave's registry for every image of the generation; one missing leads to a person. */
@Component("verifyRegistry")
class VerifyRegistryDelegate extends StepDelegate {

  private final DeliverySteps delivery;

  VerifyRegistryDelegate(DeliverySteps delivery) {
    this.delivery = delivery;
  }

  @Override
  protected void run(DelegateExecution execution) {
    DeliverySteps.RegistryCheck check = delivery.verifyRegistry(text(execution, ENCLAVE), text(execution, LINEAGE),
        number(execution, GENERATION), true);
    execution.setVariable(IMAGES_VERIFIED, check.images());
  }
}
