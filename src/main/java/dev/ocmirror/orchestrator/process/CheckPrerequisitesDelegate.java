package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.TRANSFER_ID;

import dev.ocmirror.orchestrator.airgap.CheckPrerequisites;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** On a receiving station: the media's prerequisites against the station's own cache, before anything is imported. */
@Component("checkPrerequisites")
class CheckPrerequisitesDelegate extends StepDelegate {

  private final CheckPrerequisites step;

  CheckPrerequisitesDelegate(CheckPrerequisites step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    step.check(text(execution, TRANSFER_ID));
  }
}
