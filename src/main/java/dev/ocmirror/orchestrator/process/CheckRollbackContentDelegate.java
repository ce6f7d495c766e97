package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Finds whether the registry still holds the generation rolled back to, or whether it must be imported again. */
@Component("checkRollbackContent")
class CheckRollbackContentDelegate extends StepDelegate {

  private final DeliverySteps delivery;

  CheckRollbackContentDelegate(DeliverySteps delivery) {
    this.delivery = delivery;
  }

  @Override
  protected void run(DelegateExecution execution) {
    DeliverySteps.RegistryCheck check = delivery.verifyRegistry(text(execution, ENCLAVE), text(execution, LINEAGE),
        number(execution, GENERATION), false);
    execution.setVariable(REIMPORT_NEEDED, !check.problems().isEmpty());
    execution.setVariable(MISSING_IMAGES, String.join("\n", check.problems()));
  }
}
