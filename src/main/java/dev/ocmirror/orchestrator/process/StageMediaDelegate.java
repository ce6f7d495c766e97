package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.StageMedia;
import dev.ocmirror.orchestrator.transfer.MediaSpaceException;
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

  /** What the operator's decision on the media reads as its reason when the media are full. */
  static final String MEDIA_FULL = "MEDIA_FULL";

  /**
   * Full media lead to the decision through a gateway, not a boundary event: a boundary would make this asynchronous
   * task a scope, and Camunda 7.24 then fails an administrator's process instance modification around a failed
   * staging with a NullPointerException.
   */
  @Override
  protected void run(DelegateExecution execution) {
    StageMedia.Staged staged;
    try {
      staged = step.stage(text(execution, TRANSFER_ID));
    } catch (MediaSpaceException full) {
      execution.setVariable(MEDIA_STAGED, false);
      recordFailure(execution, MEDIA_FULL, full.getMessage(), "Nothing on the media is signed. Free space on them (or use"
          + " larger media), then choose to stage again: the files already there with the right hash are kept.");
      return;
    }
    execution.setVariable(MEDIA_STAGED, true);
    execution.setVariable(MEDIA_DIRECTORY, staged.mediaDirectory());
    execution.setVariable(MANIFEST_SHA256, staged.manifestSha256());
    execution.setVariable(STAGED_FILES, staged.files());
    metrics.transfer("staged");
  }
}
