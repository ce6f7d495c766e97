package dev.ocmirror.orchestrator.process;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables;
import dev.ocmirror.orchestrator.audit.Outcome;
import dev.ocmirror.orchestrator.ledger.LedgerRepository;
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

  private final LedgerRepository ledger;
  private final EnclaveSelection enclaves;
  private final LifecycleMetrics metrics;

  public DeliveryOutcomes(LedgerRepository ledger, EnclaveSelection enclaves, LifecycleMetrics metrics) {
    this.ledger = ledger;
    this.enclaves = enclaves;
    this.metrics = metrics;
  }

  public boolean allDelivered(DelegateExecution execution) {
    List<LedgerRepository.Transfer> transfers = ledger.transfersOf(Lifecycles.rootOf(execution));
    return transfers.size() == enclaves.of(execution).size()
        && transfers.stream().allMatch(transfer -> transfer.state().equals("IMPORTED"));
  }

  @Override
  public void notify(DelegateExecution execution) {
    String process = execution.getProcessDefinitionId().split(":")[0];
    Outcome outcome = Outcome.ofEndEvent(execution.getCurrentActivityId()).orElseGet(() -> Outcome.worst(
        ledger.transfersOf(Lifecycles.rootOf(execution)).stream().map(DeliveryOutcomes::outcomeOf).toList()));
    if (outcome == Outcome.ABANDONED && execution.getVariable(Variables.TRANSFER_ID) instanceof String transferId
        && process.equals(Processes.DELIVERY)) {
      ledger.updateTransfer(transferId, "ABANDONED", null);
    }
    metrics.outcome(process, outcome.name());
  }

  private static Outcome outcomeOf(LedgerRepository.Transfer transfer) {
    return switch (transfer.state()) {
      case "IMPORTED" -> Outcome.DELIVERED;
      case "REJECTED" -> Outcome.REJECTED;
      case "ABANDONED" -> Outcome.ABANDONED;
      default -> Outcome.FAILED;
    };
  }
}
