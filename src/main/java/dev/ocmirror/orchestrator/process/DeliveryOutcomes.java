package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables;
import dev.ocmirror.orchestrator.audit.Outcome;
import dev.ocmirror.orchestrator.ledger.Transfer;
import dev.ocmirror.orchestrator.ledger.TransferState;
import dev.ocmirror.orchestrator.ledger.Transfers;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * What "delivered" means for a lifecycle: every enclave it delivers to imported its transfer, as the ledger
 * records it (the parent's gateway asks this). As an end-event listener, it counts each outcome for the metrics
 * and marks an abandoned transfer in the ledger.
 */
@Component("deliveryOutcomes")
public class DeliveryOutcomes implements ExecutionListener {

  private final Transfers transfers;
  private final EnclaveSelection enclaves;
  private final LifecycleMetrics metrics;

  public DeliveryOutcomes(Transfers transfers, EnclaveSelection enclaves, LifecycleMetrics metrics) {
    this.transfers = transfers;
    this.enclaves = enclaves;
    this.metrics = metrics;
  }

  public boolean allDelivered(DelegateExecution execution) {
    List<Transfer> planned = transfers.ofLifecycle(Lifecycles.rootOf(execution));
    return planned.size() == enclaves.of(execution).size()
        && planned.stream().allMatch(transfer -> transfer.state() == TransferState.IMPORTED);
  }

  @Override
  public void notify(DelegateExecution execution) {
    String process = execution.getProcessDefinitionId().split(":")[0];
    Outcome outcome = Outcome.ofEndEvent(execution.getCurrentActivityId()).orElseGet(() -> Outcome.worst(
        transfers.ofLifecycle(Lifecycles.rootOf(execution)).stream().map(DeliveryOutcomes::outcomeOf).toList()));
    if (outcome == Outcome.ABANDONED && execution.getVariable(Variables.TRANSFER_ID) instanceof String transferId
        && process.equals(Processes.DELIVERY)) {
      transfers.moveTo(transferId, TransferState.ABANDONED);
    }
    metrics.outcome(process, outcome.name());
  }

  private static Outcome outcomeOf(Transfer transfer) {
    return switch (transfer.state()) {
      case IMPORTED -> Outcome.DELIVERED;
      case REJECTED -> Outcome.REJECTED;
      case ABANDONED -> Outcome.ABANDONED;
      case PLANNED, STAGED, RECEIVED, REJECTED_AT_RECEIPT, REFUSED_AT_STATION -> Outcome.FAILED;
    };
  }
}
