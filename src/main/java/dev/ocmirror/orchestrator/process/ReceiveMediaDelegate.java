package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.airgap.ReceiveMedia;
import dev.ocmirror.orchestrator.control.Controls;
import dev.ocmirror.orchestrator.ledger.Transfers;
import dev.ocmirror.orchestrator.lifecycle.DecisionNeeded;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** On a receiving station: verifies the media where they are mounted and puts them on record as received. */
@Component("receiveMedia")
class ReceiveMediaDelegate extends StepDelegate {

  private final ReceiveMedia step;
  private final Controls controls;
  private final LifecycleProperties properties;
  private final Transfers transfers;

  ReceiveMediaDelegate(ReceiveMedia step, Controls controls, LifecycleProperties properties, Transfers transfers) {
    this.step = step;
    this.controls = controls;
    this.properties = properties;
    this.transfers = transfers;
  }

  @Override
  protected void run(DelegateExecution execution) {
    String lifecycle = Lifecycles.rootOf(execution);
    ReceiveMedia.Received received;
    try {
      received = step.receive(text(execution, MEDIA_PATH), lifecycle, controls.requestOf(lifecycle).requestedBy());
    } catch (DecisionNeeded refused) {
      // Authentic media for this site are on record as refused: the site report answers their transfer.
      transfers.ofLifecycle(lifecycle).stream().findFirst()
          .ifPresent(transfer -> execution.setVariable(TRANSFER_ID, transfer.id()));
      throw refused;
    }
    execution.setVariable(TRANSFER_ID, received.transferId());
    execution.setVariable(LINEAGE, received.lineage());
    execution.setVariable(GENERATION, received.generations().stream().mapToInt(Integer::intValue).max().orElseThrow());
    execution.setVariable(CARRY_GENERATIONS, String.join(",", received.generations().stream().map(String::valueOf).toList()));
    execution.setVariable(VERIFIED_FILES, received.files());
    execution.setVariable(VERIFIED_BYTES, received.bytes());
    execution.setVariable(IMPORT_APPROVAL_REQUIRED, properties.station().approvalRequired());
  }
}
