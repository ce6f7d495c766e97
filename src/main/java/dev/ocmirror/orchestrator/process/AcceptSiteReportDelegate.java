package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.STATION_OUTCOME;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.TRANSFER_ID;

import dev.ocmirror.orchestrator.airgap.AcceptSiteReport;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Goes on from the site report recorded for the transfer: what the station says became of the media. */
@Component("acceptSiteReport")
class AcceptSiteReportDelegate extends StepDelegate {

  private final AcceptSiteReport step;

  AcceptSiteReportDelegate(AcceptSiteReport step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    execution.setVariable(STATION_OUTCOME, step.accept(text(execution, TRANSFER_ID)).name());
  }
}
