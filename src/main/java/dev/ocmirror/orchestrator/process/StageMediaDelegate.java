package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.DeliverySteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Stages the approved generations on the media and signs their manifest. */
@Component("stageMedia")
class StageMediaDelegate extends StepDelegate {

  private final DeliverySteps delivery;
  private final LifecycleMetrics metrics;

  StageMediaDelegate(DeliverySteps delivery, LifecycleMetrics metrics) {
    this.delivery = delivery;
    this.metrics = metrics;
  }

  @Override
  protected void run(DelegateExecution execution) {
    DeliverySteps.Staged staged = delivery.stage(text(execution, TRANSFER_ID));
    execution.setVariable(MEDIA_DIRECTORY, staged.mediaDirectory());
    execution.setVariable(MANIFEST_SHA256, staged.manifestSha256());
    execution.setVariable(STAGED_FILES, staged.files());
    metrics.transfer("staged");
  }
}
