package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.TRANSFER_ID;

import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Advances what the ledger knows of the enclave: every carried generation is now there. */
@Component("closeTransfer")
class CloseTransferDelegate extends StepDelegate {

  private final DeliverySteps delivery;
  private final LifecycleMetrics metrics;

  CloseTransferDelegate(DeliverySteps delivery, LifecycleMetrics metrics) {
    this.delivery = delivery;
    this.metrics = metrics;
  }

  @Override
  protected void run(DelegateExecution execution) {
    delivery.close(text(execution, TRANSFER_ID));
    metrics.transfer("imported");
  }
}
