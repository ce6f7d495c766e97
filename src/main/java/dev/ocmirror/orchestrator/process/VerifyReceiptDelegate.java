package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Verifies the received media where they are mounted, against the manifest this service signed. */
@Component("verifyReceipt")
class VerifyReceiptDelegate extends StepDelegate {

  private final DeliverySteps delivery;

  VerifyReceiptDelegate(DeliverySteps delivery) {
    this.delivery = delivery;
  }

  @Override
  protected void run(DelegateExecution execution) {
    DeliverySteps.refuseBrokenSeal(text(execution, TRANSFER_ID), Boolean.TRUE.equals(execution.getVariable(SEAL_INTACT)));
    DeliverySteps.Received received = delivery.verifyReceipt(text(execution, TRANSFER_ID));
    execution.setVariable(VERIFIED_FILES, received.files());
    execution.setVariable(VERIFIED_BYTES, received.bytes());
  }
}
