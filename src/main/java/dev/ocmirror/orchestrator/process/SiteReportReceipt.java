package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.ENCLAVE;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.SITE_REPORT;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.TRANSFER_ID;

import dev.ocmirror.orchestrator.access.AccessGroups;
import dev.ocmirror.orchestrator.access.Refusal;
import dev.ocmirror.orchestrator.airgap.SiteReportRefused;
import dev.ocmirror.orchestrator.airgap.SiteReports;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * Records the site report an operator enters for a delivery to a media enclave: the report must verify with the
 * station's key and answer this delivery's transfer, else the task stays open with one sentence saying why.
 */
@Component(SiteReportReceipt.BEAN)
public class SiteReportReceipt implements TaskListener {

  static final String BEAN = "siteReportReceipt";

  private final SiteReports reports;

  public SiteReportReceipt(SiteReports reports) {
    this.reports = reports;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication person = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (person == null || person.getUserId() == null || person.getGroupIds() == null
        || !person.getGroupIds().contains(AccessGroups.OPERATORS)) {
      throw refusal(task, Refusal.Kind.NOT_ALLOWED, "A site report is recorded by a signed-in operator.");
    }
    String transferId = (String) task.getVariable(TRANSFER_ID);
    SiteReportRecords.RecordedReport recorded;
    try {
      recorded = reports.recordOrFind((String) task.getVariable(ENCLAVE), (String) task.getVariable(SITE_REPORT),
          person.getUserId());
    } catch (SiteReportRefused refused) {
      throw refusal(task, Refusal.Kind.NOT_ACCEPTED, refused.getMessage());
    }
    if (!transferId.equals(recorded.transferId())) {
      throw refusal(task, Refusal.Kind.NOT_ACCEPTED, "Report " + recorded.number() + " was recorded, but it answers "
          + (recorded.transferId() == null ? "no transfer" : "transfer " + recorded.transferId())
          + ", not this delivery's; enter the report the station wrote after it received these media.");
    }
  }

  private static Refusal refusal(DelegateTask task, Refusal.Kind kind, String message) {
    return new Refusal(kind, message, task.getProcessInstanceId(), task.getId(), task.getTaskDefinitionKey());
  }
}
