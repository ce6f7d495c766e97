package dev.ocmirror.orchestrator.process;

import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.IMAGESET_CONFIG;
import static dev.ocmirror.orchestrator.bpmn.ProcessContract.Variables.REQUESTED_BY;

import dev.ocmirror.orchestrator.bpmn.ProcessContract.Processes;
import dev.ocmirror.orchestrator.lifecycle.LifecycleProperties;
import dev.ocmirror.orchestrator.lifecycle.PrepareConfiguration;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Starts the monthly {@code mirror-update} with what a person would have given: the configuration (the configured
 * file or the newest generation's) and a requester that is no person, so that every change manager may approve.
 */
@Component("startScheduledUpdate")
public class StartScheduledUpdate implements JavaDelegate {

  static final String SCHEDULE = "schedule";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StartScheduledUpdate.class);

  private final PrepareConfiguration configurations;
  private final LifecycleProperties properties;

  public StartScheduledUpdate(PrepareConfiguration configurations, LifecycleProperties properties) {
    this.configurations = configurations;
    this.properties = properties;
  }

  @Override
  public void execute(DelegateExecution execution) {
    if (properties.receivingStation()) {
      // A station mirrors nothing itself: its updates arrive on media.
      return;
    }
    var running = OneMirrorRun.otherThan(execution);
    if (running.isPresent()) {
      LOG.warn("The scheduled update did not start: {}", running.get());
      return;
    }
    // Without a baseline there is nothing to repeat; this text leads to the operators' correction task.
    String config = configurations.scheduledConfiguration().orElse(
        "# No configuration for the scheduled update: take a baseline first or set orchestrator.update.configuration-file\n");
    execution.getProcessEngineServices().getRuntimeService().startProcessInstanceByKey(Processes.UPDATE,
        Map.of(IMAGESET_CONFIG, config, REQUESTED_BY, SCHEDULE));
  }
}
