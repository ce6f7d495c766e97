package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.PlanTransfer;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Plans what the media for one enclave carry, for the change manager's review. */
@Component("planTransfer")
class PlanTransferDelegate extends StepDelegate {

  private final PlanTransfer step;

  PlanTransferDelegate(PlanTransfer step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    PlanTransfer.Planned plan = step.plan(text(execution, ENCLAVE), text(execution, LINEAGE),
        number(execution, GENERATION), Lifecycles.rootOf(execution));
    execution.setVariable(TRANSFER_ID, plan.transferId());
    execution.setVariable(PLAN_PROVABLE, plan.provable());
    execution.setVariable(CARRY_GENERATIONS, String.join(",", plan.generations().stream().map(String::valueOf).toList()));
    execution.setVariable(TRANSFER_BYTES, plan.bytes());
    execution.setVariable(TRANSFER_SUMMARY, plan.summary());
  }
}
