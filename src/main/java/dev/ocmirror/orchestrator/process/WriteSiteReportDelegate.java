package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.airgap.SiteReport;
import dev.ocmirror.orchestrator.airgap.WriteSiteReport;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * On a receiving station, however the media's way ended: writes the signed site report that says so, for the return
 * media and as text to carry. What became of the transfer is read from the station's ledger, the reason from the
 * decision that ended it.
 */
@Component("writeSiteReport")
class WriteSiteReportDelegate extends StepDelegate {

  private final WriteSiteReport step;
  private final Transfers transfers;

  WriteSiteReportDelegate(WriteSiteReport step, Transfers transfers) {
    this.step = step;
    this.transfers = transfers;
  }

  @Override
  protected void run(DelegateExecution execution) {
    String transferId = text(execution, TRANSFER_ID);
    Optional<Transfer> transfer = transferId == null ? Optional.empty() : transfers.find(transferId);
    String reason = text(execution, FAILURE_REASON);
    SiteReport.TransferOutcome outcome;
    String detail;
    if (transfer.map(Transfer::state).orElse(null) == TransferState.IMPORTED) {
      outcome = SiteReport.TransferOutcome.IMPORTED;
      detail = null;
    } else if (transfer.map(Transfer::state).orElse(null) == TransferState.REJECTED) {
      outcome = SiteReport.TransferOutcome.REFUSED;
      detail = "the station's change manager rejected the import: " + text(execution, REVIEW_COMMENT);
    } else {
      boolean refused = DecisionNeeded.Reason.MEDIA_REJECTED.name().equals(reason)
          || DecisionNeeded.Reason.PREREQUISITES_MISSING.name().equals(reason);
      outcome = refused ? SiteReport.TransferOutcome.REFUSED : SiteReport.TransferOutcome.FAILED;
      detail = text(execution, FAILURE_SUMMARY);
      transfer.ifPresent(failed -> transfers.moveTo(failed.id(), TransferState.REFUSED_AT_STATION));
    }
    WriteSiteReport.Written written = step.write(transfer.map(Transfer::id).orElse(null), outcome, detail);
    execution.setVariable(STATION_OUTCOME, outcome.name());
    execution.setVariable(SITE_REPORT_NUMBER, written.number());
    execution.setVariable(SITE_REPORT, written.text());
  }
}
