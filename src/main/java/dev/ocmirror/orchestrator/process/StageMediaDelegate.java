package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.StageMedia;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Stages the approved generations on the media and signs their manifest. */
@Component("stageMedia")
class StageMediaDelegate extends StepDelegate {

  private final StageMedia step;
  private final LifecycleMetrics metrics;

  StageMediaDelegate(StageMedia step, LifecycleMetrics metrics) {
    this.step = step;
    this.metrics = metrics;
  }

  @Override
  protected void run(DelegateExecution execution) {
    StageMedia.Staged staged = step.stage(text(execution, TRANSFER_ID));
    execution.setVariable(MEDIA_DIRECTORY, staged.mediaDirectory());
    execution.setVariable(MANIFEST_SHA256, staged.manifestSha256());
    execution.setVariable(STAGED_FILES, staged.files());
    metrics.transfer("staged");
  }
}
