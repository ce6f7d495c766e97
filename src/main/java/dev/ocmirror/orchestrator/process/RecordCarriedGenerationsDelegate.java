package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.TRANSFER_ID;

import dev.ocmirror.orchestrator.airgap.RecordCarriedGenerations;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** On a receiving station: records the carried generations in the station's ledger, read from the media. */
@Component("recordCarriedGenerations")
class RecordCarriedGenerationsDelegate extends StepDelegate {

  private final RecordCarriedGenerations step;

  RecordCarriedGenerationsDelegate(RecordCarriedGenerations step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    step.record(text(execution, TRANSFER_ID));
  }
}
