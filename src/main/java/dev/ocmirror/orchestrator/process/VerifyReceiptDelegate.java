package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.VerifyReceipt;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Verifies the received media where they are mounted, against the manifest this service signed. */
@Component("verifyReceipt")
class VerifyReceiptDelegate extends StepDelegate {

  private final VerifyReceipt step;

  VerifyReceiptDelegate(VerifyReceipt step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    VerifyReceipt.refuseBrokenSeal(text(execution, TRANSFER_ID), Boolean.TRUE.equals(execution.getVariable(SEAL_INTACT)));
    VerifyReceipt.Received received = step.verify(text(execution, TRANSFER_ID));
    execution.setVariable(VERIFIED_FILES, received.files());
    execution.setVariable(VERIFIED_BYTES, received.bytes());
  }
}
