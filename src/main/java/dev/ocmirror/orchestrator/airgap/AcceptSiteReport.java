package dev.ocmirror.orchestrator.airgap;

import dev.ocmirror.orchestrator.control.ControlRefused;
import dev.ocmirror.orchestrator.ledger.SiteReportRecords;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;

/**
 * A delivery to a media enclave goes on from what its station reported, as recorded by the service: a report that
 * answers this transfer must have been recorded (a variable saying so is not enough), and what it says became of
 * the media decides whether the transfer closes.
 */
public final class AcceptSiteReport {

  private final Transfers transfers;
  private final SiteReportRecords reports;

  public AcceptSiteReport(Transfers transfers, SiteReportRecords reports) {
    this.transfers = transfers;
    this.reports = reports;
  }

  /** What the station says became of the transfer. */
  public SiteReport.TransferOutcome accept(String transferId) {
    Transfer transfer = transfers.get(transferId);
    SiteReportRecords.RecordedReport report = reports.answering(transfer.enclave(), transferId).orElseThrow(() ->
        new ControlRefused("No site report of " + transfer.enclave() + " answering transfer " + transferId
            + " has been recorded, so the delivery does not go on."));
    SiteReport.TransferOutcome outcome = SiteReport.TransferOutcome.valueOf(report.transferOutcome());
    if (outcome != SiteReport.TransferOutcome.IMPORTED) {
      transfers.moveTo(transferId, TransferState.REFUSED_AT_STATION);
    }
    return outcome;
  }
}
