package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.lifecycle.RecordGeneration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Moves the run's archives into the store and records them as the generation in the ledger. */
@Component("recordGeneration")
class RecordGenerationDelegate extends StepDelegate {

  private static final Logger LOG = LoggerFactory.getLogger(RecordGenerationDelegate.class);

  private final RecordGeneration step;
  private final LifecycleMetrics metrics;

  RecordGenerationDelegate(RecordGeneration step, LifecycleMetrics metrics) {
    this.step = step;
    this.metrics = metrics;
  }

  @Override
  protected void run(DelegateExecution execution) {
    RecordGeneration.Recorded recorded = step.record(text(execution, LINEAGE), number(execution, GENERATION),
        text(execution, IMAGESET_CONFIG), text(execution, OC_MIRROR_VERSION), text(execution, REQUESTED_BY));
    execution.setVariable(ARCHIVE_COUNT, recorded.archives());
    execution.setVariable(ARCHIVE_BYTES, recorded.bytes());
    metrics.bytesIngested(recorded.bytes());
    execution.setVariable(IMAGE_COUNT, recorded.images());
    execution.setVariable(NEW_BLOB_COUNT, recorded.blobs());
    if (!recorded.deletedByRetention().isEmpty()) {
      LOG.info("Retention deleted the archives of generation(s) {} of lineage {}", recorded.deletedByRetention(),
          execution.getVariable(LINEAGE));
    }
  }
}
