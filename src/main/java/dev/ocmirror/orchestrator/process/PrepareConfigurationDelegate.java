package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.*;

import dev.ocmirror.orchestrator.control.ControlRefused;
import dev.ocmirror.orchestrator.lifecycle.PrepareConfiguration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Checks the proposed configuration and decides which generation of which lineage the run builds. */
@Component("prepareConfiguration")
class PrepareConfigurationDelegate extends StepDelegate {

  private final PrepareConfiguration step;

  PrepareConfigurationDelegate(PrepareConfiguration step) {
    this.step = step;
  }

  @Override
  protected void run(DelegateExecution execution) {
    // Checked again here: a lifecycle restarted past its start event never met the start's check.
    OneMirrorRun.otherThan(execution).ifPresent(running -> {
      throw new ControlRefused("Not building a generation: " + running + ".");
    });
    boolean baseline = Boolean.TRUE.equals(execution.getVariable(BASELINE));
    PrepareConfiguration.Prepared prepared = step.prepare(text(execution, IMAGESET_CONFIG), baseline);
    execution.setVariable(LINEAGE, prepared.lineage());
    execution.setVariable(GENERATION, prepared.generation());
    execution.setVariable(CONFIG_DIGEST, prepared.configDigest());
    execution.setVariable(CONFIG_DIFF, prepared.diffSummary());
  }
}
