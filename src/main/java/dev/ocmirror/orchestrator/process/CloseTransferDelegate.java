package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.TRANSFER_ID;

import dev.ocmirror.orchestrator.lifecycle.CloseTransfer;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Advances what the ledger knows of the enclave: every carried generation is now there. */
@Component("closeTransfer")
class CloseTransferDelegate extends StepDelegate {

  private final CloseTransfer step;
  private final LifecycleMetrics metrics;

  CloseTransferDelegate(CloseTransfer step, LifecycleMetrics metrics) {
    this.step = step;
    this.metrics = metrics;
  }

  @Override
  protected void run(DelegateExecution execution) {
    step.close(text(execution, TRANSFER_ID));
    metrics.transfer("imported");
  }
}
