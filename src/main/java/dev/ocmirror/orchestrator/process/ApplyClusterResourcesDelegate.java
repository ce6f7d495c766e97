package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Applies the cluster resources of the generation to every cluster of the enclave: after an import
 * ({@code applyClusterResources}) or, once the rollback's approval is checked again, those of the generation rolled
 * back to ({@code applyRollback}). The two beans are declared in {@link DelegateBeans}.
 */
class ApplyClusterResourcesDelegate extends StepDelegate {

  private final DeliverySteps delivery;
  private final boolean rollback;

  ApplyClusterResourcesDelegate(DeliverySteps delivery, boolean rollback) {
    this.delivery = delivery;
    this.rollback = rollback;
  }

  @Override
  protected void run(DelegateExecution execution) {
    execution.setVariable(CLUSTERS_APPLIED, String.join("\n", delivery.applyClusterResources(text(execution, ENCLAVE),
        text(execution, LINEAGE), number(execution, GENERATION), execution.getProcessInstanceId(), rollback)));
  }
}
