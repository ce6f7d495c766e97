package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.ApplyClusterResources;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Applies the cluster resources of the generation to every cluster of the enclave: after an import
 * ({@code applyClusterResources}) or, once the rollback's approval is checked again, those of the generation rolled
 * back to ({@code applyRollback}). The two beans are declared in {@link DelegateBeans}.
 */
class ApplyClusterResourcesDelegate extends StepDelegate {

  private final ApplyClusterResources step;
  private final boolean rollback;

  ApplyClusterResourcesDelegate(ApplyClusterResources step, boolean rollback) {
    this.step = step;
    this.rollback = rollback;
  }

  @Override
  protected void run(DelegateExecution execution) {
    execution.setVariable(CLUSTERS_APPLIED, String.join("\n", step.apply(text(execution, ENCLAVE),
        text(execution, LINEAGE), number(execution, GENERATION), execution.getProcessInstanceId(), rollback)));
  }
}
